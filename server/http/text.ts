import { z } from 'zod';

/** C0 control characters other than tab, line feed and carriage return, and DEL: never valid in stored text. */
export function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f;
}

export const hasControl = (text: string): boolean => [...text].some(isControl);

/** One line of text from outside: trimmed, not empty, bounded, with no control characters (PostgreSQL refuses NUL). */
export function singleLine(max: number) {
  return z
    .string({ error: 'must be text' })
    .trim()
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\r\n\t]/.test(s) && !hasControl(s), 'must be one line without control characters');
}
