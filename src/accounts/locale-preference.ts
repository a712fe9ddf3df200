import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isSupportedLocale, SUPPORTED_LOCALES } from '../i18n/locales.ts';
import { AccountProblem } from './problems.ts';

// A reader's own language (users.locale). Empty means "the site's language, or my browser's"
// (i18n/negotiate.ts); the pseudo-locale is never stored: it is for development browsers only.

/** The stored value for what the form sent: null for the site's default, else a language Parley speaks. */
export function localePreferenceFrom(value: string): string | null {
  if (value === '') return null;
  if (isSupportedLocale(value)) return value;
  throw AccountProblem.keyed('locale', 'invalid_locale', 'accounts.problem.locale', { locales: SUPPORTED_LOCALES.join(', ') });
}

export async function setLocalePreference(db: Kysely<Database>, userId: number, locale: string | null): Promise<void> {
  await db.updateTable('users').set({ locale }).where('id', '=', userId).where('deleted_at', 'is', null).execute();
}
