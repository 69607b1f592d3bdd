import querystring from 'node:querystring';

// node:querystring's own byte decoder (what its `unescape` falls back to): exported, but not declared in its types.
const { parse, unescapeBuffer } = querystring as typeof querystring & { unescapeBuffer(text: string): Buffer };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** What an escape that is not UTF-8 text decodes to: a lone surrogate, text the edge refuses (text.ts). */
const UNDECODABLE = '\ud800';

/** A %-escaped name or value as UTF-8 text; a lone % stays as it is, as node:querystring leaves it. */
function decodeStrict(text: string): string {
  try {
    return utf8.decode(unescapeBuffer(text));
  } catch {
    return UNDECODABLE;
  }
}

/**
 * The query string as Express's "simple" parser reads it (node:querystring: `+` is a space, a name
 * given twice gives a list, at most 1000 names), except for escapes that are not UTF-8 text
 * (`%ED%A0%80`, the bytes of a lone surrogate, or `%FF`): node:querystring would turn them into
 * U+FFFD and the request would go on with text the caller never sent. Here they decode to text no
 * database can store, which the one check of every request's text refuses, naming the parameter.
 */
export function parseQueryString(text: string): Record<string, string | string[]> {
  return parse(text, '&', '=', { decodeURIComponent: decodeStrict }) as Record<string, string | string[]>;
}
