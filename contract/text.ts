import { z } from 'zod';
import { zodSays } from './problems.js';

/**
 * The checks of text and lists from outside that a request schema of the contract needs: written
 * once here, used by the server's own schemas as well.
 */

/**
 * Control characters, never valid in stored text: C0 other than tab, line feed and carriage return;
 * DEL; C1 (U+0080–U+009F, NEL among them); and the line and paragraph separators U+2028 and U+2029,
 * line breaks that no spreadsheet or CSV reader takes as one, so a name would split where it shows whole.
 */
export function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return (
    (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029
  );
}

export const hasControl = (text: string): boolean => [...text].some(isControl);

/**
 * The bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) and
 * marks (U+061C, U+200E, U+200F): they make stored text read otherwise than it is (a ref or a name
 * shown reversed, a comment hiding what follows it), and no field needs them: names in Chinese and
 * English read as they are.
 */
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export const isBidiControl = (char: string): boolean => BIDI_CONTROL.test(char);
export const hasBidiControl = (text: string): boolean => BIDI_CONTROL.test(text);

/**
 * Characters that show nothing, by Unicode's own classes rather than a list: format characters
 * (Cf: the soft hyphen, zero-width spaces and joiners, the word joiner, U+FEFF inside text, tags),
 * the default-ignorable ones (fillers such as U+3164, variation selectors, the grapheme joiner),
 * noncharacters (U+FFFF) and the blank braille pattern. Two names that look alike would differ by
 * them, and a search for what a person sees would miss the record. The bidirectional ones are
 * `BIDI_CONTROL`'s, refused with their own words.
 */
const INVISIBLE =
  /(?![\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069])[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}\u2800]/u;

export const isInvisible = (char: string): boolean => INVISIBLE.test(char);
export const hasInvisible = (text: string): boolean => INVISIBLE.test(text);

/** One line of text from outside: trimmed, not empty, bounded, with no control characters (PostgreSQL refuses NUL). */
export function singleLine(max: number) {
  return z
    // Left out is said as such, not as "must be text".
    .string({ error: (issue) => (issue.input === undefined ? zodSays('required') : zodSays('not_text')) })
    .trim()
    .min(1, zodSays('required'))
    .max(max, zodSays('max_characters', { max }))
    .refine((s) => !/[\r\n\t]/.test(s) && !hasControl(s), zodSays('not_one_line'))
    .refine((s) => !hasBidiControl(s), zodSays('bidi_controls'))
    .refine((s) => !hasInvisible(s), zodSays('invisible_characters'));
}

/**
 * For an object schema's own checks (`.superRefine(check, ONCE_VALID)`): run them only once every
 * field has passed its checks. Zod runs an object's refinements after a field's failed check that
 * does not abort, on the raw input (a list still a string): the check would read a value its type
 * does not describe. One problem per field is enough to say what to fix.
 */
export const ONCE_VALID = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

/** The earliest and latest dates a record or a query may name. */
export const FIRST_DATE = '1949-10-01';
export const LAST_DATE = '2100-12-31';

/** True for a real calendar date written `YYYY-MM-DD` (no 2023-02-30). */
export function isValidIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === value;
}

export const IsoDateSchema = z
  .string({ error: zodSays('one_date') })
  .refine(isValidIsoDate, zodSays('real_date'))
  .refine((d) => d >= FIRST_DATE && d <= LAST_DATE, zodSays('date_between', { first: FIRST_DATE, last: LAST_DATE }));

/** Most codes a list parameter may hold: far more than the alliance has, far fewer than an attack sends. */
const MAX_LIST = 100;

/** Longest list parameter, in characters: room for every code there is, with spaces. */
export const MAX_LIST_TEXT = 4000;

/**
 * A comma-separated list, also accepted as a repeated parameter (`a=x&a=y`). A list too long
 * aborts there: nothing after it (the split, the items, the object's own checks) sees the raw text.
 */
export function listParameter<O extends string>(item: z.ZodType<O, string>, max = MAX_LIST) {
  return z.preprocess(
    (value) => (Array.isArray(value) ? value.join(',') : value),
    z
      .string({ error: zodSays('comma_list') })
      .max(MAX_LIST_TEXT, { error: zodSays('list_too_long', { max: MAX_LIST_TEXT }), abort: true })
      .transform((text) =>
        text
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== ''),
      )
      .pipe(z.array(item).max(max, zodSays('list_too_many', { max }))),
  );
}

/** A whole number in a query parameter, between `min` and `max`. */
export function wholeNumber(min: number, max: number) {
  return z
    .string({ error: zodSays('whole_number') })
    .regex(/^\d{1,9}$/, zodSays('whole_number_between', { min, max }))
    .transform(Number)
    .refine((n) => n >= min && n <= max, zodSays('whole_number_between', { min, max }));
}
