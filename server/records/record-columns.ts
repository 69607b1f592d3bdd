import {
  type ColumnType,
  formatLimit,
  isOptionalType,
  KIND_COLUMNS,
  MAX_COUNT,
  MAX_CREDITS,
  MAX_MONEY_CNY,
} from '../../contract/record-columns.js';
import { FACT_KINDS, type FactKind } from '../db/schema.js';

/**
 * The records API document's view of the columns (contract/record-columns.ts names them once):
 * the JSON schema of a record body, for the OpenAPI document.
 */
const JSON_TYPES: Readonly<Record<ColumnType, Record<string, unknown>>> = {
  code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{1,15}$' },
  optional_code: { type: ['string', 'null'] },
  text: { type: 'string', minLength: 1 },
  date: { type: 'string', format: 'date' },
  optional_date: { type: ['string', 'null'], format: 'date' },
  money: {
    type: ['number', 'string'],
    minimum: 0,
    maximum: MAX_MONEY_CNY,
    description: `yuan, up to two decimals, at most ${formatLimit(MAX_MONEY_CNY)}`,
  },
  count: { type: ['integer', 'string'], minimum: 0, maximum: MAX_COUNT },
  credits: { type: ['number', 'string'], minimum: 0, maximum: MAX_CREDITS, description: 'up to one decimal' },
  enum: { type: 'string' },
  optional_enum: { type: ['string', 'null'] },
  term: { type: 'string', pattern: '^[0-9]{4}-[0-9]{4}-[1-3]$' },
};

/** The JSON schema of a record body for the API document, one per kind; all fields optional for a PATCH. */
export function recordJsonSchema(kind: FactKind, partial: boolean): Record<string, unknown> {
  const columns = KIND_COLUMNS[kind];
  return {
    title: kind,
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(
      columns.map((c) => [
        c.name,
        {
          ...JSON_TYPES[c.type],
          ...(c.positive ? { exclusiveMinimum: 0, minimum: undefined } : {}),
          ...(c.derived ? { readOnly: true } : {}),
          ...(c.values ? { enum: c.type === 'optional_enum' ? [...c.values, null] : c.values } : {}),
          ...(c.maxLength ? { maxLength: c.maxLength } : {}),
          description: c.description,
          examples: [c.example],
        },
      ]),
    ),
    ...(partial
      ? {}
      : {
          required: columns.filter((c) => !isOptionalType(c.type) && c.default === undefined && !c.derived).map((c) => c.name),
        }),
  };
}

/** A record body of any kind, as the API document describes the `:kind` routes. */
export const recordBodyJsonSchema = (partial: boolean): Record<string, unknown> => ({
  oneOf: FACT_KINDS.map((kind) => recordJsonSchema(kind, partial)),
  description: 'The fields of the record of the kind named in the path.',
});
