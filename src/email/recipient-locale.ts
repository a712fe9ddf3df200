import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { createTranslator, isSupportedLocale, negotiateLocale, PSEUDO_LOCALE, SUPPORTED_LOCALES, type Translator } from '../i18n/index.ts';
import { getSettings } from '../settings/store.ts';

// A mail has no Accept-Language: it speaks the recipient's chosen language when the site speaks it,
// else the site's (see i18n/negotiate.ts for the whole rule). A mail about one site's article (a
// reply, a decision) passes that site, whose own language (sites.locale) then stands in for the service's.
// With `pseudo` (config.pseudoLocale: development and browser tests) an account whose stored language
// is the pseudo-locale gets its mails in it, so a test can find mail text that skipped the catalogs.
// With `requestLocale` (the language of the page a mail was asked from: a registration, a reset) a
// recipient who has not chosen a language gets that one, as the page they used spoke it; like a
// browser's Accept-Language, it comes after the account's own choice and a site that forces its language.

export type Recipient = { userId: number } | { email: string };

export async function recipientTranslator(
  db: Kysely<Database>,
  who: Recipient,
  site: { locale?: string | null } | null = null,
  options: { pseudo?: boolean; requestLocale?: string | null } = {},
): Promise<Translator> {
  const settings = await getSettings(db);
  const query = db.selectFrom('users').select('locale').where('deleted_at', 'is', null);
  const row = await ('userId' in who ? query.where('id', '=', who.userId) : query.where('email', '=', who.email.toLowerCase())).executeTakeFirst();
  return createTranslator(
    negotiateLocale({ siteDefault: site?.locale && isSupportedLocale(site.locale) ? site.locale : settings.locale, siteForced: settings.localeForced, accountPreference: row?.locale ?? null, acceptLanguage: options.requestLocale ?? null, supported: options.pseudo ? [...SUPPORTED_LOCALES, PSEUDO_LOCALE] : SUPPORTED_LOCALES }),
  );
}
