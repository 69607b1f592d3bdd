import { DIMENSIONS, MEASURE_LIST, type MeasureDef } from './registry.js';

/** The lines that mark docs/api.md's generated tables. */
export const REGISTRY_DOCS_BEGIN =
  '<!-- registry: begin (generated from server/kpi/registry.ts by `npm run docs:api`; do not edit) -->';
export const REGISTRY_DOCS_END = '<!-- registry: end -->';

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

const measureRow = (m: MeasureDef): string =>
  `| \`${m.id}\` | ${cell(m.name.en)} / ${cell(m.name.zh)} | ${m.unit} | ${m.temporality} | \`${m.dateColumn}\` | ${cell(m.standard.reference.en)} | ${m.dimensions.join(', ')} |`;

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
    '| measure | name | unit | flow or stock | date | standard | dimensions |',
    '| --- | --- | --- | --- | --- | --- | --- |',
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
