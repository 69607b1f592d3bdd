import { z } from 'zod';
import { zodSays } from '../../contract/problems.js';
import { FILE_FORMATS, type FileFormat } from './csv-projection.js';

const flag = z.enum(['true', 'false'], { error: zodSays('true_or_false') });

const FORMATS = ['json', ...FILE_FORMATS] as const;

/** The parameters every download takes, beside the query's own: `format=csv` or `format=xlsx` asks for a file. */
export const csvShape = {
  format: z.enum(FORMATS, { error: zodSays('one_of', { values: FORMATS }) }).optional(),
  bom: flag.optional(),
  lang: z.enum(['en', 'zh'], { error: zodSays('either', { a: 'en', b: 'zh' }) }).optional(),
  formatted: flag.optional(),
};

export interface CsvRequest {
  /** The file asked for (CSV or a workbook), or null for the JSON answer. */
  file: FileFormat | null;
  /** A byte-order mark before a CSV (a workbook has none). */
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
    file: value.format === 'csv' || value.format === 'xlsx' ? value.format : null,
    bom: value.bom !== 'false',
    lang: value.lang === 'zh' ? 'zh' : 'en',
    formatted: value.formatted === 'true',
  };
}
