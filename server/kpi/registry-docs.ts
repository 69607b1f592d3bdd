import { DIMENSIONS, MEASURE_LIST, type MeasureDef } from './registry.js';

/** The lines that mark docs/api.md's generated tables. */
export const REGISTRY_DOCS_BEGIN =
  '<!-- registry: begin (generated from server/kpi/registry.ts by `npm run docs:api`; do not edit) -->';
export const REGISTRY_DOCS_END = '<!-- registry: end -->';

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** How the figure is made from the records: counted, summed, or one sum over another. */
const figureOf = (m: MeasureDef): string => {
  switch (m.aggregate.fn) {
    case 'count':
      return 'count of records';
    case 'sum':
      return `sum of \`${m.aggregate.column}\``;
    case 'ratio':
      return `\`${m.aggregate.numerator}\` ÷ \`${m.aggregate.denominator}\`, summed over the group first, ${m.aggregate.decimals} decimals`;
  }
};

const measureRow = (m: MeasureDef): string =>
  `| \`${m.id}\` | ${cell(m.name.en)} / ${cell(m.name.zh)} | ${m.unit} | ${m.temporality} | \`${m.dateColumn}\` | ${figureOf(m)} | ${cell(m.standard.reference.en)} | ${m.dimensions.join(', ')} |`;

/** The measures and dimensions of the registry, as docs/api.md shows them. */
export function registryDocs(): string {
  const dimensions = Object.values(DIMENSIONS).map((d) => {
    const values = d.values
      ? d.values.map((v) => `\`${v}\``).join(', ')
      : d.domain === 'period'
        ? 'a period'
        : `a ${d.domain} code`;
    return `| \`${d.id}\` | ${d.name.en} / ${d.name.zh} | ${values} |`;
  });
  return [
    '| measure | name | unit | flow or stock | date | figure | standard | dimensions |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...MEASURE_LIST.map(measureRow),
    '',
    '| dimension | name | values |',
    '| --- | --- | --- |',
    ...dimensions,
  ].join('\n');
}

/** A document's text with its generated block replaced by the registry's. */
export function withRegistryDocs(text: string): string {
  const begin = text.indexOf(REGISTRY_DOCS_BEGIN);
  const end = text.indexOf(REGISTRY_DOCS_END);
  if (begin < 0 || end < begin)
    throw new Error(`the document has no block between "${REGISTRY_DOCS_BEGIN}" and "${REGISTRY_DOCS_END}"`);
  return `${text.slice(0, begin + REGISTRY_DOCS_BEGIN.length)}\n${registryDocs()}\n${text.slice(end)}`;
}
