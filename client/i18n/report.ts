/** Messages of the report view. */
export const reportEn = {} as const;

export const reportZh: Record<keyof typeof reportEn, string> = {};
