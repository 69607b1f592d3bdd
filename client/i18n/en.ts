export const en = {
  'app.title': 'YRD University Technology Park Alliance · Outcomes',
  'app.footer': 'Yangtze River Delta University Technology Park Alliance — founded 25 October 2019, led by USST.',
  'nav.label': 'Main navigation',
  'nav.universities': 'Members',
  'lang.label': 'Language',
  'demo.banner':
    'Synthetic demo data: the figures are generated, and only USST is a named founding member; the other four members are stand-ins until an administrator enters the real ones.',
  'universities.title': 'Member universities',
  'universities.lead': 'Lead university',
  'universities.code': 'Code',
  'universities.name': 'University',
  'universities.region': 'Province',
  'universities.memberSince': 'Member since',
  'universities.range': 'Records from {from} to {to}',
  'universities.noRecords': 'No records yet.',
  'state.loading': 'Loading…',
  'state.error': 'Could not load the data: {message}',
  'state.retry': 'Try again',
} as const;

export type MessageKey = keyof typeof en;
