/** Messages of the chart views (overview, universities, regions, trends, collaboration). */
export const chartsEn = {} as const;

export const chartsZh: Record<keyof typeof chartsEn, string> = {};
