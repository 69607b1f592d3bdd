import { z } from 'zod';
import { zodSays } from '../../contract/problems.js';

const flag = z.enum(['true', 'false'], { error: zodSays('true_or_false') });

/** The parameters every CSV download takes, beside the query's own. */
export const csvShape = {
  format: z.enum(['json', 'csv'], { error: zodSays('either', { a: 'json', b: 'csv' }) }).optional(),
  bom: flag.optional(),
  lang: z.enum(['en', 'zh'], { error: zodSays('either', { a: 'en', b: 'zh' }) }).optional(),
  formatted: flag.optional(),
};

export interface CsvRequest {
  csv: boolean;
  bom: boolean;
  lang: 'en' | 'zh';
  formatted: boolean;
}

export function toCsvRequest(value: {
  format?: string | undefined;
  bom?: string | undefined;
  lang?: string | undefined;
  formatted?: string | undefined;
}): CsvRequest {
  return {
    csv: value.format === 'csv',
    bom: value.bom !== 'false',
    lang: value.lang === 'zh' ? 'zh' : 'en',
    formatted: value.formatted === 'true',
  };
}
