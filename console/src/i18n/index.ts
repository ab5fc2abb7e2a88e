// i18next with the two catalogues bundled (no fetching): English and Mexican Spanish. The language comes from the
// switch the user last chose (kept in localStorage), else from the browser; <html lang> follows it.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { esMX } from './es-MX.js';

export const LANGUAGES = ['en', 'es-MX'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'switchboard.language';

export function pickLanguage(stored: string | null, browser: readonly string[]): Language {
  if (stored === 'en' || stored === 'es-MX') return stored;
  for (const tag of browser) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('es')) return 'es-MX';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

function storedLanguage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** i18next with both catalogues, in the given language (the unit tests start it this way too). */
export async function initI18n(lng: Language): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    lng,
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    resources: { en: { translation: en }, 'es-MX': { translation: esMX } },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}

export async function startI18n(): Promise<typeof i18next> {
  const lng = pickLanguage(storedLanguage(), navigator.languages ?? [navigator.language]);
  await initI18n(lng);
  document.documentElement.lang = lng;
  i18next.on('languageChanged', (next) => {
    document.documentElement.lang = next;
  });
  return i18next;
}

export function switchLanguage(next: Language) {
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // A browser without storage keeps the choice for this visit only.
  }
  void i18next.changeLanguage(next);
}
