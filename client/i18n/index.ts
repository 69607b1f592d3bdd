import { admin } from './admin';
import { base } from './base';
import { charts } from './charts';
import { cycle } from './cycle';
import { records } from './records';
import { reportEn, reportZh } from './report';

export type Lang = 'zh' | 'en';

/** The languages, each by its own name and with its tag for `lang` attributes. */
export const LANGUAGES = [
  { code: 'zh', name: '中文', tag: 'zh-CN' },
  { code: 'en', name: 'English', tag: 'en' },
] as const;

/** A catalogue of messages, each in English and in Chinese: [en, zh]. */
export type Catalogue = Record<string, readonly [en: string, zh: string]>;

/** One language's side of a catalogue. */
function side<K extends string>(catalogue: Record<K, readonly [string, string]>, lang: Lang): Record<K, string> {
  const index = lang === 'en' ? 0 : 1;
  return Object.fromEntries(
    Object.entries<readonly [string, string]>(catalogue).map(([key, pair]) => [key, pair[index]]),
  ) as Record<K, string>;
}

/**
 * One catalogue per part of the interface, merged: each view's messages live beside the others'
 * but in a file of their own. Every key has both languages: a `Catalogue` holds both side by
 * side; the report's Chinese catalogue is typed by its English one.
 */
const pairs = { ...base, ...charts, ...records, ...admin, ...cycle };
const en = { ...side(pairs, 'en'), ...reportEn };
export type MessageKey = keyof typeof en;
const zh: Record<MessageKey, string> = { ...side(pairs, 'zh'), ...reportZh };

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { en, zh };
const STORAGE_KEY = 'alliance-outcomes.lang';

let current: Lang = initialLang();
const listeners = new Set<(lang: Lang) => void>();

function initialLang(): Lang {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (stored === 'zh' || stored === 'en') return stored;
  return globalThis.navigator?.language?.toLowerCase().startsWith('en') ? 'en' : 'zh';
}

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  globalThis.localStorage?.setItem(STORAGE_KEY, next);
  for (const listener of listeners) listener(next);
}

export function onLangChange(listener: (lang: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The message in the current language, with `{name}` placeholders filled. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return CATALOGUES[current][key].replaceAll(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/** A bilingual value from the API (`{ en, zh }`) in the current language. */
export function pick(text: { en: string; zh: string }): string {
  return text[current];
}

/** Fills every `data-i18n` element and `data-i18n-attr="attr:key"` attribute under `root`. */
export function translateDom(root: ParentNode = document): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n as MessageKey);
  }
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    const [attr, key] = (element.dataset.i18nAttr ?? '').split(':');
    if (attr && key) element.setAttribute(attr, t(key as MessageKey));
  }
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
  document.title = t('app.title');
}
