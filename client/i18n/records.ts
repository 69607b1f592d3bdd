/** Messages of the records view. */
export const recordsEn = {} as const;

export const recordsZh: Record<keyof typeof recordsEn, string> = {};
