// Language choice, translated texts and locale-aware dates.
import en from '../i18n/en.js';
import vi from '../i18n/vi.js';
import { readStorage, writeStorage } from './storage.js';

const TEXTS = { en, vi };
export const LANGUAGES = ['en', 'vi'];
const STORAGE_KEY = 'dcc-verifier.lang';

let current = initialLanguage();

/** The language remembered from last time, else the browser's first supported one, else English. */
function initialLanguage() {
  const saved = readStorage(STORAGE_KEY);
  if (LANGUAGES.includes(saved)) return saved;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

export function lang() {
  return current;
}

export function setLang(next) {
  if (!LANGUAGES.includes(next)) return;
  current = next;
  writeStorage(STORAGE_KEY, next);
  document.documentElement.lang = next;
}

/** The locale for dates and names: the browser's own when it speaks the chosen language. */
export function locale() {
  for (const tag of navigator.languages ?? [navigator.language]) {
    if (String(tag).toLowerCase().split('-')[0] === current) return tag;
  }
  return current === 'vi' ? 'vi-VN' : 'en';
}

/** Whether `key` has a text in the current language or in English. */
export function has(key) {
  return Object.hasOwn(TEXTS[current], key) || Object.hasOwn(en, key);
}

/** The text for `key` in the current language (English as fallback), with `{name}` filled in. */
export function t(key, params = {}) {
  const table = Object.hasOwn(TEXTS[current], key) ? TEXTS[current] : en;
  const text = Object.hasOwn(table, key) ? table[key] : key;
  return text.replace(/\{(\w+)\}/g, (match, name) =>
    Object.hasOwn(params, name) ? String(params[name]) : match);
}

const DATE_ONLY = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/;

/**
 * A date as the user reads it. `YYYY-MM-DD` (and the partial `YYYY-MM`, `YYYY` allowed for
 * dates of birth) are calendar dates, shown without a time zone shift; anything else is an
 * instant (RFC 3339), shown in local time. Unparseable text is shown as it is.
 */
export function formatDate(value, { withTime = false } = {}) {
  if (value === undefined || value === null || value === '') return '';
  const text = String(value);
  const dateOnly = DATE_ONLY.exec(text);
  try {
    if (dateOnly) {
      const [, year, month, day] = dateOnly;
      const date = new Date(Date.UTC(Number(year), month ? Number(month) - 1 : 0, day ? Number(day) : 1));
      const options = { timeZone: 'UTC', year: 'numeric' };
      if (month) options.month = 'long';
      if (day) options.day = 'numeric';
      return new Intl.DateTimeFormat(locale(), options).format(date);
    }
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) return text;
    const options = withTime ? { dateStyle: 'long', timeStyle: 'short' } : { dateStyle: 'long' };
    return new Intl.DateTimeFormat(locale(), options).format(date);
  } catch {
    return text;
  }
}

/** A country's name from its ISO 3166-1 alpha-2 code, in the user's language. */
export function countryName(code) {
  if (!code) return '';
  try {
    const name = new Intl.DisplayNames([locale()], { type: 'region' }).of(String(code).toUpperCase());
    return name && name !== code ? name : String(code);
  } catch {
    return String(code);
  }
}

export function formatNumber(value) {
  return new Intl.NumberFormat(locale()).format(value);
}

export function formatBytes(bytes) {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(Math.round(bytes / 102.4) / 10)} KB`;
  return `${formatNumber(Math.round(bytes / (1024 * 102.4)) / 10)} MB`;
}
