/** Messages of the admin view. */
export const adminEn = {} as const;

export const adminZh: Record<keyof typeof adminEn, string> = {};
