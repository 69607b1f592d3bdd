/** The media type of each kind of file the server sends or reads, written once. */
export const MEDIA_TYPES = {
  csv: 'text/csv; charset=utf-8',
  /** An Office Open XML workbook (`.xlsx`). */
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

/** A media type without its parameters: `text/csv` of `text/csv; charset=utf-8`. */
export const essence = (type: string): string => type.split(';')[0]!.trim();
