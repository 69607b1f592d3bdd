import { describe, expect, it } from 'vitest';
import { admin } from '../../client/i18n/admin.js';
import { base } from '../../client/i18n/base.js';
import { charts } from '../../client/i18n/charts.js';
import { cycle } from '../../client/i18n/cycle.js';
import { records } from '../../client/i18n/records.js';
import { reportEn } from '../../client/i18n/report.js';

/** Every file of the client but its catalogues: what may name a message. */
const files = import.meta.glob<string>(['../../client/**/*.ts', '../../client/*.html', '!../../client/i18n/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
});
const code = Object.values(files).join('\n');
/** The fixed starts of keys built in a template: `admin.audit.action.${action}` → `admin.audit.action.`. */
const built = [...code.matchAll(/`([\w.]+\.)\$\{/g)].map((m) => m[1]!);
/** A key is named whole, in quotes (a `t('…')` call, a `data-i18n="…"` attribute, a table of keys), or built from a start. */
const named = (key: string) =>
  [`'${key}'`, `"${key}"`, `\`${key}\``, `:${key}"`].some((quoted) => code.includes(quoted)) ||
  built.some((start) => key.startsWith(start));

describe('the client’s message catalogues', () => {
  const keys = Object.keys({ ...base, ...charts, ...records, ...admin, ...cycle, ...reportEn });

  it('hold no message that no code names', () => {
    expect(Object.keys(files)).toContain('../../client/views/reporting.ts');
    expect(Object.keys(files)).toContain('../../client/index.html');
    expect(keys.length).toBeGreaterThan(500);
    expect(keys.filter((key) => !named(key))).toEqual([]);
  });

  it('are checked by a test that notices a message no code names', () => {
    expect(named('cycle.title')).toBe(true);
    expect(named('admin.audit.action.login')).toBe(true);
    expect(named('skip')).toBe(true);
    expect(named('cycle.titl')).toBe(false);
    expect(named('nowhere.at.all')).toBe(false);
  });
});
