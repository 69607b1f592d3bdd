import fc from 'fast-check';

/**
 * Random HTTP requests derived from the application's own OpenAPI document: every operation,
 * its path parameters (ids that exist, ids that do not, hostile strings), its query parameters
 * and every other route's (repeated, unknown, badly escaped), bodies as JSON shaped by the
 * operation's schema and then broken, as CSV, as multipart forms whole or cut off, under wrong
 * or absent content types, by every role and by nobody. A new route is fuzzed without a word here.
 */

type Schema = Record<string, any>;

/** Who sends a request: one of the fuzzing identities, or nobody. */
export const FUZZ_ROLES = ['admin', 'leadership', 'steward', 'commission', 'anonymous'] as const;
export type FuzzRole = (typeof FUZZ_ROLES)[number];

/** How the caller presents itself: its session as a browser would, or a broken version of it. */
export type Credentials = 'session' | 'no-csrf' | 'wrong-csrf' | 'forged-cookie' | 'ended-session';

export interface FuzzRequest {
  /** `METHOD /api/v1/path/{param}`: the operation of the document the request was made from. */
  operation: string;
  role: FuzzRole;
  credentials: Credentials;
  method: string;
  /** Path and query, percent-encoded as sent. */
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** Close the connection after this many bytes of the body (a client that goes away mid-upload). */
  cutAt?: number;
}

export interface Operation {
  method: string;
  path: string;
  spec: Schema;
}

/** What the generator knows besides the document: values that exist in the database under test. */
export interface FuzzContext {
  operations: readonly Operation[];
  /** Valid values of a path parameter, keyed by the path template up to and including it (`/api/v1/users/{id}`). */
  validPathValues: ReadonlyMap<string, readonly string[]>;
  /** Words the API understands (enums, examples, measure and dimension ids, codes): what valid-ish lists are made of. */
  words: readonly string[];
  /** Every query parameter name any operation documents. */
  queryNames: readonly string[];
  /** Every object schema of the document with a title (record kinds): the columns of CSV files. */
  shapes: ReadonlyMap<string, Schema>;
}

/** The operations of an OpenAPI document. */
export function operationsOf(document: Schema): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Schema>>)) {
    for (const [method, spec] of Object.entries(methods)) operations.push({ method: method.toUpperCase(), path, spec });
  }
  return operations;
}

/** Every enum value, const and example of string type in a document, and every string in `extra` (e.g. /meta). */
export function wordsOf(...sources: unknown[]): string[] {
  const words = new Set<string>();
  const walk = (value: unknown, key?: string): void => {
    if (typeof value === 'string') {
      if (key !== 'description' && key !== 'summary' && value.length <= 40 && /^[\w.\-:]+$/.test(value)) words.add(value);
    } else if (Array.isArray(value)) for (const item of value) walk(item, key === 'enum' || key === 'examples' ? key : key);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  for (const source of sources) walk(source);
  return [...words].sort();
}

/** Object schemas with a title (`oneOf` branches of a record kind), by title. */
export function shapesOf(document: Schema): Map<string, Schema> {
  const shapes = new Map<string, Schema>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const schema = value as Schema;
      if (typeof schema.title === 'string' && schema.properties && !shapes.has(schema.title)) shapes.set(schema.title, schema);
      Object.values(schema).forEach(walk);
    }
  };
  walk(document.paths);
  return shapes;
}

export function queryNamesOf(operations: readonly Operation[]): string[] {
  const names = new Set<string>();
  for (const op of operations) for (const p of op.spec.parameters ?? []) if (p.in === 'query') names.add(p.name);
  return [...names].sort();
}

/** Strings that have broken parsers before: SQL, escapes, huge, lone surrogates, control characters, prototype names. */
const NASTY = [
  '',
  ' ',
  "'",
  '"',
  '\\',
  "'; drop table university;--",
  "1' or '1'='1",
  '%00',
  '\u0000',
  '\u0001\u001f',
  '\u202e',
  '\ufeff',
  '\ud800',
  'a\udfffb',
  '😀',
  '上海理工大学',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '=HYPERLINK("http://x")',
  '+1',
  '-1',
  '@SUM(A1)',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '0',
  '-0',
  '1e309',
  '-1e309',
  '0x10',
  '1_000',
  'NaN',
  'Infinity',
  '2024-02-30',
  '2024-13-01',
  '0000-01-01',
  '9999-12-31',
  '275760-09-13',
  '2024-01-01T00:00:00Z',
  '9'.repeat(40),
  '9007199254740993',
  '2147483648',
  '-2147483649',
  '1.005',
  '0.1e-400',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  ',',
  ',,,',
  'a,,b',
  '\t',
  '\r\n',
  '\n',
];

const nastyString = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
  { weight: 1, arbitrary: fc.constantFrom(800, 4001, 9000).map((n) => 'x'.repeat(n)) },
);

/** A long string now and then: over the limits of a field, of a parameter, of the JSON body (1 MB). */
const hugeString = fc.constantFrom(5_000, 70_000, 1_100_000).map((n) => 'é'.repeat(n / 2));

const jsonish = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e21, 2 ** 31, -(2 ** 63)),
);

/** A generated value as a parameter or cell: JSON for objects (some have no prototype to convert them). */
const asText = (value: unknown): string =>
  value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

function regexOf(pattern: unknown): RegExp | undefined {
  if (typeof pattern !== 'string') return undefined;
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

const dates = fc.oneof(
  fc
    .date({ min: new Date('1999-01-01'), max: new Date('2031-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2024-02-29', '2023-02-29', '2024-12-31', '2019-10-25', '2024-1-1', '2024/01/01'),
);

/** A value that the schema (probably) accepts, from the words the API knows where it can. */
export function validish(schema: Schema | undefined, ctx: FuzzContext, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return jsonish;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  if ('const' in schema) return fc.constant(schema.const);
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (branches?.length) return fc.oneof(...branches.map((b) => validish(b, ctx, depth + 1)));
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((type) => validish({ ...schema, type }, ctx, depth)));
  const min = typeof schema.minimum === 'number' ? schema.minimum : -1000;
  const max = typeof schema.maximum === 'number' ? schema.maximum : 10_000_000;
  switch (types[0]) {
    case 'string': {
      if (schema.format === 'date') return dates;
      const examples = (schema.examples ?? []).filter((e: unknown) => typeof e === 'string') as string[];
      const regex = regexOf(schema.pattern);
      const known = ctx.words.filter((w) => (regex ? regex.test(w) : true));
      const options: fc.Arbitrary<string>[] = [];
      if (examples.length) options.push(fc.constantFrom(...examples));
      if (regex && known.length) options.push(fc.constantFrom(...known));
      // Matching strings are slow to make: only where no word or example of the document fits.
      if (regex && options.length === 0) options.push(fc.stringMatching(regex));
      if (!regex) {
        const minLength = Math.min(schema.minLength ?? 0, 40);
        options.push(fc.string({ minLength, maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 24, 24)) }));
        options.push(listOfWords(ctx));
        options.push(dates);
      }
      return fc.oneof(...options);
    }
    case 'integer':
      return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
    case 'number':
      return fc.oneof(
        fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, 2 ** 31)) }),
        fc.double({ min, max: Math.min(max, 1e12), noNaN: true }).map((n) => Math.round(n * 100) / 100),
      );
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validish(schema.items, ctx, depth + 1), {
        minLength: Math.min(schema.minItems ?? 0, 3),
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const model = Object.fromEntries(
        Object.entries(properties).map(([k, s]) => [
          k,
          // A valid password costs a full scrypt hash (128 MiB, a third of a second): one in twenty is enough.
          /password/i.test(k)
            ? fc.oneof(
                { weight: 1, arbitrary: validish(s, ctx, depth + 1) },
                { weight: 19, arbitrary: fc.constantFrom('', 'short') },
              )
            : validish(s, ctx, depth + 1),
        ]),
      );
      return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k: string) => k in properties) });
    }
    default:
      return jsonish;
  }
}

/** `a,b,c` of words the API knows, with junk and empty items now and then. */
function listOfWords(ctx: FuzzContext): fc.Arbitrary<string> {
  const item = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...ctx.words) }, { weight: 1, arbitrary: nastyString });
  return fc.oneof(
    { weight: 6, arbitrary: fc.array(item, { minLength: 1, maxLength: 4 }).map((items) => items.join(',')) },
    // A list over every length limit (4,000 characters) but within Node's 16 KB of request head: the validation must stop at its first failed check.
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(150, 450, 1200)
        .map((n) => Array.from({ length: n }, (_, i) => ctx.words[i % ctx.words.length]).join(',')),
    },
  );
}

type Mutation =
  | { kind: 'none' }
  | { kind: 'drop'; index: number }
  | { kind: 'add'; key: string; value: unknown }
  | { kind: 'retype'; index: number; value: unknown }
  | { kind: 'huge'; index: number; value: string }
  | { kind: 'whole'; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 2, arbitrary: fc.nat(20).map((index) => ({ kind: 'drop' as const, index })) },
  {
    weight: 2,
    arbitrary: fc
      .record({
        key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'x', 'id', 'role', 'created_by'), fc.string({ maxLength: 8 })),
        value: jsonish,
      })
      .map((m) => ({ kind: 'add' as const, ...m })),
  },
  { weight: 5, arbitrary: fc.record({ index: fc.nat(20), value: jsonish }).map((m) => ({ kind: 'retype' as const, ...m })) },
  { weight: 1, arbitrary: fc.record({ index: fc.nat(20), value: hugeString }).map((m) => ({ kind: 'huge' as const, ...m })) },
  { weight: 1, arbitrary: jsonish.map((value) => ({ kind: 'whole' as const, value })) },
);

/** Breaks one thing in a valid-ish value: the way most hostile bodies differ from good ones. */
function mutate(value: unknown, m: Mutation): unknown {
  if (m.kind === 'none') return value;
  if (m.kind === 'whole') return m.value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return m.kind === 'add' ? { [m.key]: m.value } : value;
  const copy = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (m.kind === 'add') {
    Object.defineProperty(copy, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    return copy;
  }
  if (keys.length === 0) return copy;
  const key = keys[m.index % keys.length]!;
  if (m.kind === 'drop') delete copy[key];
  else copy[key] = m.value;
  return copy;
}

/** JSON text, sometimes not JSON at all, sometimes nested until a recursive parser gives up. */
function jsonBody(schema: Schema | undefined, ctx: FuzzContext, hostile = true): fc.Arbitrary<string> {
  if (!hostile) return validish(schema, ctx).map((value) => JSON.stringify(value) ?? 'null');
  const shaped = fc.tuple(validish(schema, ctx), mutation).map(([value, m]) => JSON.stringify(mutate(value, m)) ?? 'null');
  return fc.oneof(
    { weight: 20, arbitrary: shaped },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '{',
        '[1,',
        'nul',
        '{"a":1}{"b":2}',
        '{"a":1,}',
        "{'a':1}",
        '\ufeff{}',
        '{"__proto__":{"role":"admin","isAdmin":true}}',
        '{"constructor":{"prototype":{"polluted":1}}}',
        '{"a":"\\ud800"}',
        '{"a":"\\u0000"}',
        '{"a":1e999999}',
        '"just a string"',
        '12',
        'true',
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(100, 3_000, 60_000)
        .chain((n) => fc.constantFrom('['.repeat(n) + ']'.repeat(n), `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`)),
    },
  );
}

/** A CSV file of a record shape (its columns), with valid-ish cells, broken cells, quotes, BOMs and bad bytes. */
function csvBody(ctx: FuzzContext, preferred: Schema | undefined, hostile: boolean): fc.Arbitrary<Buffer> {
  if (preferred) return csvOfShape(preferred, ctx, hostile);
  return fc.oneof(...[...ctx.shapes.values()].map((shape) => csvOfShape(shape, ctx, hostile)));
}

const csvArbitraries = {
  good: new WeakMap<Schema, fc.Arbitrary<Buffer>>(),
  hostile: new WeakMap<Schema, fc.Arbitrary<Buffer>>(),
};

function csvOfShape(schema: Schema, ctx: FuzzContext, hostile: boolean): fc.Arbitrary<Buffer> {
  const cache = hostile ? csvArbitraries.hostile : csvArbitraries.good;
  const made = cache.get(schema);
  if (made) return made;
  const arbitrary = csvFile(schema, ctx, hostile);
  cache.set(schema, arbitrary);
  return arbitrary;
}

function csvFile(schema: Schema, ctx: FuzzContext, hostile: boolean): fc.Arbitrary<Buffer> {
  const columns = Object.keys(schema.properties ?? {});
  const cell = (name: string): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 6, arbitrary: validish(schema.properties[name], ctx).map((v) => asText(v)) },
      { weight: hostile ? 1 : 0, arbitrary: nastyString },
      { weight: hostile ? 1 : 0, arbitrary: fc.constantFrom('"', '""', '"a,b"', '"unterminated', 'a"b', '\r', '=1+1') },
    );
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const row = fc.tuple(...columns.map(cell)).map((cells) => cells.map(quote).join(','));
  return fc
    .record({
      header: fc.oneof(
        { weight: 6, arbitrary: fc.constant(columns) },
        { weight: hostile ? 1 : 0, arbitrary: fc.shuffledSubarray(columns) },
        { weight: hostile ? 1 : 0, arbitrary: fc.array(fc.oneof(fc.constantFrom(...columns), nastyString), { maxLength: 6 }) },
      ),
      rows: fc.array(row, { maxLength: 6 }),
      extra: fc.oneof(
        { weight: 8, arbitrary: fc.constant('') },
        { weight: hostile ? 1 : 0, arbitrary: fc.constantFrom(',,,,', '"', 'a,b,c,d,e,f,g,h,i,j,k,l,m', '\u0000') },
        // Many short lines: memory and time must not grow with the number of lines beyond the budget.
        { weight: hostile ? 1 : 0, arbitrary: fc.constantFrom(200, 5_000).map((n) => '\n'.repeat(n)) },
      ),
      eol: fc.constantFrom('\r\n', '\n', '\r'),
      bom: fc.boolean(),
      badBytes: fc.oneof(
        { weight: 8, arbitrary: fc.constant(null) },
        { weight: hostile ? 1 : 0, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 6 }) },
      ),
    })
    .map(({ header, rows, extra, eol, bom, badBytes }) => {
      const text = `${bom ? '\ufeff' : ''}${[header.join(','), ...rows, extra].join(eol)}`;
      const bytes = Buffer.from(text, 'utf8');
      return badBytes ? Buffer.concat([bytes, Buffer.from([0xed, 0xa0, 0x80, ...badBytes])]) : bytes;
    });
}

export type MultipartShape =
  | 'whole'
  | 'cut'
  | 'wrong-boundary'
  | 'no-boundary'
  | 'field-only'
  | 'two-files'
  | 'other-name'
  | 'no-blank-line';

/** A multipart form with the file part named `file`, well formed or broken in one of the ways clients break it. */
function multipartBody(csv: fc.Arbitrary<Buffer>, hostile: boolean): fc.Arbitrary<{ type: string; body: Buffer }> {
  return fc
    .record({
      shape: hostile
        ? fc.constantFrom<MultipartShape>(
            'cut',
            'cut',
            'cut',
            'wrong-boundary',
            'no-boundary',
            'field-only',
            'two-files',
            'other-name',
            'no-blank-line',
          )
        : fc.constant<MultipartShape>('whole'),
      file: csv,
      cut: fc.double({ min: 0, max: 1, noNaN: true }),
      fileName: fc.oneof(fc.constant('records.csv'), nastyString),
      boundary: fc.constantFrom('B', '----WebKitFormBoundary7MA4YWxkTrZu0gW', 'a'.repeat(70), '"quoted"'),
    })
    .map(({ shape, file, cut, fileName, boundary }) => {
      const b = boundary.replaceAll('"', '');
      const name = fileName.replaceAll(/[\r\n"]/g, '_');
      const part = (field: string, content: Buffer, blank = true) =>
        Buffer.concat([
          Buffer.from(
            `--${b}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: text/csv\r\n${blank ? '\r\n' : ''}`,
          ),
          content,
          Buffer.from('\r\n'),
        ]);
      const field = Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n`);
      const end = Buffer.from(`--${b}--\r\n`);
      const type = `multipart/form-data; boundary=${boundary}`;
      switch (shape) {
        case 'whole':
          return { type, body: Buffer.concat([part('file', file), end]) };
        case 'cut': {
          // Cut anywhere: in the part's headers, inside the file, before the final boundary, after a field.
          const whole = Buffer.concat([field, part('file', file), end]);
          return { type, body: whole.subarray(0, Math.floor(cut * (whole.length - 1))) };
        }
        case 'wrong-boundary':
          return { type: 'multipart/form-data; boundary=Z', body: Buffer.concat([part('file', file), end]) };
        case 'no-boundary':
          return { type: 'multipart/form-data', body: Buffer.concat([part('file', file), end]) };
        case 'field-only':
          return { type, body: Buffer.concat([field, end]) };
        case 'two-files':
          return { type, body: Buffer.concat([part('file', file), part('file', file), end]) };
        case 'other-name':
          return { type, body: Buffer.concat([part('upload', file), end]) };
      }
      return { type, body: Buffer.concat([part('file', file, false), end]) };
    });
}

const WRONG_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; charset=',
  'application/merge-patch+json',
  'text/csv; charset=gbk',
  'multipart/mixed; boundary=B',
  'application/octet-stream',
  'foo',
  ';;;',
  '*/*',
  'application/json, text/csv',
];

interface Payload {
  type: string | undefined;
  body: Buffer | undefined;
  encoding?: string;
}

/** A body and its content type for an operation: the documented types mostly, any other now and then. */
function bodyFor(op: Operation, ctx: FuzzContext, shape: Schema | undefined, hostile: boolean): fc.Arbitrary<Payload> {
  const content = (op.spec.requestBody?.content ?? {}) as Record<string, { schema?: Schema }>;
  const jsonSchema = content['application/json']?.schema;
  const json = jsonBody(jsonSchema, ctx, hostile).map((text) => ({ type: 'application/json', body: Buffer.from(text, 'utf8') }));
  const csv = csvBody(ctx, shape, hostile).map((body) => ({ type: 'text/csv', body }));
  const multipart = multipartBody(csvBody(ctx, shape, false), hostile);
  const none = fc.constant<Payload>({ type: undefined, body: undefined });
  const documented = Object.keys(content);
  if (!hostile) {
    // What the document says the operation takes, well formed.
    const byType: Record<string, fc.Arbitrary<Payload>> = {
      'application/json': json,
      'text/csv': csv,
      'multipart/form-data': multipart,
    };
    const good = documented.map((type) => byType[type]).filter((a): a is fc.Arbitrary<Payload> => a !== undefined);
    return good.length ? fc.oneof(...good) : none;
  }
  return fc.oneof(
    { weight: 6, arbitrary: json },
    { weight: documented.includes('text/csv') ? 6 : 2, arbitrary: csv },
    { weight: documented.includes('multipart/form-data') ? 6 : 2, arbitrary: multipart },
    { weight: 1, arbitrary: none },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...WRONG_TYPES), fc.oneof(jsonBody(jsonSchema, ctx), fc.constantFrom('a=1&b=2', '<x/>', '')))
        .map(([type, text]) => ({ type, body: Buffer.from(text, 'utf8') })),
    },
    // A body without a content type, and one whose declared encoding is not what it is.
    { weight: 1, arbitrary: json.map(({ body }) => ({ type: undefined, body })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(json, fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown', 'identity'))
        .map(([{ type, body }, encoding]) => ({ type, body, encoding })),
    },
  );
}

function encodeComponent(value: string): string {
  // A lone surrogate has no UTF-8: send the bytes a careless client would (CESU-8), as a raw escape.
  return [...value]
    .map((c) => {
      const code = c.charCodeAt(0);
      if (c.length === 1 && code >= 0xd800 && code <= 0xdfff) {
        return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
          .map((b) => `%${b.toString(16).toUpperCase()}`)
          .join('');
      }
      return c === ',' ? c : encodeURIComponent(c);
    })
    .join('');
}

/** Query parameters: the documented ones, other routes' and unknown names, repeated, sometimes badly escaped. */
function queryFor(op: Operation, ctx: FuzzContext, hostile: boolean): fc.Arbitrary<string> {
  const documented = ((op.spec.parameters ?? []) as Schema[]).filter((p) => p.in === 'query');
  const value = (schema: Schema | undefined) =>
    fc.oneof(
      { weight: 6, arbitrary: validish(schema, ctx).map((v) => asText(v)) },
      { weight: 2, arbitrary: nastyString },
      { weight: 1, arbitrary: listOfWords(ctx) },
    );
  const good = (schema: Schema | undefined) => validish(schema, ctx).map((v) => asText(v));
  const own = documented.map((p) =>
    fc.oneof(
      { weight: p.required ? (hostile ? 1 : 0) : 4, arbitrary: fc.constant([]) },
      { weight: p.required ? 8 : 3, arbitrary: (hostile ? value(p.schema) : good(p.schema)).map((v) => [[p.name, v]]) },
    ),
  );
  const names = [...ctx.queryNames, '__proto__', 'constructor', 'x', 'measures[]', 'by[0]', 'a[b]', ''];
  const extra = fc.oneof(
    { weight: hostile ? 2 : 1, arbitrary: fc.constant([] as string[][]) },
    { weight: 2, arbitrary: fc.array(fc.tuple(fc.constantFrom(...names), value(undefined)), { minLength: 1, maxLength: 3 }) },
    // The same parameter twice: `?a=1&a=2` arrives as an array.
    ...(documented.length
      ? [
          {
            weight: 2,
            arbitrary: fc.tuple(fc.constantFrom(...documented), value(undefined), value(undefined)).map(([p, a, b]) => [
              [p.name, a],
              [p.name, b],
            ]),
          },
        ]
      : []),
  );
  const raw = fc.oneof(
    { weight: 8, arbitrary: fc.constant('') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '&%zz',
        '&%',
        '&%E0%A4%A',
        '&a=%C0%AF',
        '&&&',
        '&=',
        '&a',
        '&a==b',
        '&%00=1',
        '&measures=%2C%2C',
      ),
    },
  );
  if (!hostile)
    return fc
      .tuple(...own)
      .map((pairs) =>
        (pairs.flat() as [string, string][]).map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v)}`).join('&'),
      );
  return fc.tuple(fc.tuple(...own), extra, raw).map(([ownPairs, extraPairs, tail]) => {
    const pairs = [...ownPairs.flat(), ...extraPairs] as [string, string][];
    const text = pairs.map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v)}`).join('&') + tail;
    return text.replace(/^&/, '');
  });
}

/** A concrete path for a template: existing ids and codes mostly, missing ones and hostile strings the rest. */
function pathFor(op: Operation, ctx: FuzzContext, hostile: boolean): fc.Arbitrary<string> {
  const params = new Map<string, Schema>(
    ((op.spec.parameters ?? []) as Schema[]).filter((p) => p.in === 'path').map((p) => [p.name, p.schema]),
  );
  const pieces = op.path.split(/(\{\w+\})/).filter(Boolean);
  let prefix = '';
  const parts = pieces.map((piece) => {
    const match = /^\{(\w+)\}$/.exec(piece);
    prefix += piece;
    if (!match) return fc.constant(piece);
    const template = prefix;
    const schema = params.get(match[1]!);
    const valid = ctx.validPathValues.get(template) ?? [];
    return fc
      .oneof(
        { weight: valid.length ? 10 : 0, arbitrary: valid.length ? fc.constantFrom(...valid) : fc.constant('') },
        { weight: valid.length ? 1 : 4, arbitrary: validish(schema, ctx).map(asText) },
        {
          weight: hostile ? 4 : 0,
          arbitrary: fc.constantFrom('999999999', '0', '-1', '1.5', '01', '1e3', '9'.repeat(20), 'NOPE', 'usst'),
        },
        { weight: hostile ? 8 : 0, arbitrary: nastyString },
      )
      .map(encodeComponent);
  });
  return fc.tuple(...parts).map((ps) => ps.join(''));
}

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'PURGE', 'SEARCH', 'TRACE', 'FOO'];

/** What a case breaks: nothing, one part of an otherwise good request, or everything at once. */
const FAULTS = ['none', 'caller', 'method', 'path', 'query', 'body', 'headers', 'everything'] as const;
type Fault = (typeof FAULTS)[number];
const FAULT_WEIGHTS: Record<Fault, number> = {
  none: 6,
  caller: 2,
  method: 1,
  path: 2,
  query: 4,
  body: 5,
  headers: 1,
  everything: 3,
};

/**
 * Requests of one operation. Most cases are a request the document allows with one part broken,
 * so that the fault reaches the code behind validation; the rest are good, or broken throughout.
 * The body is chosen after the path, so that a CSV sent to `/imports/credit` has the credit
 * columns; every arbitrary is built once, not per case.
 */
function operationRequest(op: Operation, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const reads = op.method === 'GET' || op.method === 'DELETE' || op.method === 'HEAD';
  const access = op.spec['x-access'] as 'anyone' | 'signed_in' | string[] | undefined;
  const allowed = FUZZ_ROLES.filter(
    (r) => access === 'anyone' || (r !== 'anonymous' && (access === 'signed_in' || access?.includes(r))),
  );
  const payloads = new Map<string, fc.Arbitrary<Payload>>();
  const payloadFor = (path: string, hostile: boolean): fc.Arbitrary<Payload> => {
    const segments = path.split('/');
    const title = [...ctx.shapes.keys()].find((t) => segments.includes(t)) ?? '';
    const key = `${title}|${hostile}`;
    let payload = payloads.get(key);
    if (!payload) {
      payload = hostile
        ? fc.oneof(
            { weight: reads ? 1 : 12, arbitrary: bodyFor(op, ctx, ctx.shapes.get(title), true) },
            { weight: reads ? 4 : 1, arbitrary: fc.constant<Payload>({ type: undefined, body: undefined }) },
          )
        : bodyFor(op, ctx, ctx.shapes.get(title), false);
      payloads.set(key, payload);
    }
    return payload;
  };
  const target = (hostilePath: boolean, hostileBody: boolean) =>
    pathFor(op, ctx, hostilePath).chain((path) => payloadFor(path, hostileBody).map((payload) => ({ path, payload })));
  const goodCaller = fc.record({
    role: fc.constantFrom(...(allowed.length ? allowed : FUZZ_ROLES)),
    credentials: fc.constant<Credentials>('session'),
  });
  const anyCaller = fc.record({
    role: fc.constantFrom(...FUZZ_ROLES),
    credentials: fc.constantFrom<Credentials>('session', 'session', 'no-csrf', 'wrong-csrf', 'forged-cookie', 'ended-session'),
  });
  const goodMethod = op.method === 'GET' ? fc.constantFrom('GET', 'GET', 'GET', 'HEAD') : fc.constant(op.method);
  const anyMethod = fc.constantFrom(...OTHER_METHODS);
  const noHeaders = fc.constant({ accept: undefined, conditional: undefined, origin: undefined });
  const oddHeaders = fc.record({
    accept: fc.constantFrom(undefined, 'text/csv', 'application/problem+json', '*/*', 'text/html', 'x/y;q=foo'),
    conditional: fc.constantFrom(undefined, '*', 'W/"1-x"', '""'),
    origin: fc.constantFrom(undefined, 'http://evil.example', 'null'),
  });
  const noCut = fc.constant(undefined);
  const cases = (fault: Fault) => {
    const all = fault === 'everything';
    return fc.record({
      caller: all || fault === 'caller' ? anyCaller : goodCaller,
      method: all || fault === 'method' ? anyMethod : goodMethod,
      target: target(all || fault === 'path', all || fault === 'body'),
      query: queryFor(op, ctx, all || fault === 'query'),
      headers: all || fault === 'headers' ? oddHeaders : noHeaders,
      // A client that goes away mid-body, now and then.
      cut:
        all || fault === 'body'
          ? fc.oneof({ weight: 20, arbitrary: noCut }, { weight: 1, arbitrary: fc.double({ min: 0, max: 0.99, noNaN: true }) })
          : noCut,
    });
  };
  const byFault = new Map(FAULTS.map((fault) => [fault, cases(fault)]));
  return fc
    .oneof(...FAULTS.map((fault) => ({ weight: FAULT_WEIGHTS[fault], arbitrary: byFault.get(fault)! })))
    .map((r): FuzzRequest => {
      const { path, payload } = r.target;
      const headers: Record<string, string> = {};
      if (payload.type !== undefined) headers['content-type'] = payload.type;
      if (payload.encoding) headers['content-encoding'] = payload.encoding;
      if (r.headers.accept) headers.accept = r.headers.accept;
      if (r.headers.conditional) headers['if-none-match'] = r.headers.conditional;
      if (r.headers.origin) headers.origin = r.headers.origin;
      const request: FuzzRequest = {
        operation: `${op.method} ${op.path}`,
        role: r.caller.role,
        credentials: r.caller.role === 'anonymous' ? 'session' : r.caller.credentials,
        method: r.method,
        path: r.query ? `${path}?${r.query}` : path,
        headers,
        body: payload.body,
      };
      if (r.cut !== undefined && payload.body && payload.body.length > 1) request.cutAt = Math.floor(r.cut * payload.body.length);
      return request;
    });
}

/** One request of the fuzz: any operation of the document, each as likely as the others. */
export function fuzzRequest(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(...ctx.operations.map((op) => operationRequest(op, ctx)));
}

/** A request as text a person can replay: the method, path, headers and (the start of) the body. */
export function describeRequest(request: FuzzRequest, limit = 600): string {
  const body = request.body;
  let shown = '';
  if (body) {
    const text = body.toString('utf8');
    const exact = Buffer.from(text, 'utf8').equals(body);
    shown = exact
      ? JSON.stringify(text.length > limit ? `${text.slice(0, limit)}…` : text)
      : `base64:${body.subarray(0, limit).toString('base64')}`;
    shown = `\n  body (${body.length} bytes${request.cutAt !== undefined ? `, connection closed after ${request.cutAt}` : ''}): ${shown}`;
  }
  const headers = Object.entries(request.headers)
    .map(([k, v]) => `\n  ${k}: ${v}`)
    .join('');
  const path =
    request.path.length > limit ? `${request.path.slice(0, limit)}… (${request.path.length} characters)` : request.path;
  return `${request.role} (${request.credentials}) ${request.method} ${path}${headers}${shown}`;
}
