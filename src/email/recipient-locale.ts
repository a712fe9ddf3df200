import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { createTranslator, isSupportedLocale, negotiateLocale, PSEUDO_LOCALE, SUPPORTED_LOCALES, type Translator } from '../i18n/index.ts';
import { getSettings } from '../settings/store.ts';

// A mail has no Accept-Language: it speaks the recipient's chosen language when the site speaks it,
// else the site's (see i18n/negotiate.ts for the whole rule). A mail about one site's article (a
// reply, a decision) passes that site, whose own language (sites.locale) then stands in for the service's.
// With `pseudo` (config.pseudoLocale: development and browser tests) an account whose stored language
// is the pseudo-locale gets its mails in it, so a test can find mail text that skipped the catalogs.

export type Recipient = { userId: number } | { email: string };

export async function recipientTranslator(
  db: Kysely<Database>,
  who: Recipient,
  site: { locale?: string | null } | null = null,
  options: { pseudo?: boolean } = {},
): Promise<Translator> {
  const settings = await getSettings(db);
  const query = db.selectFrom('users').select('locale').where('deleted_at', 'is', null);
  const row = await ('userId' in who ? query.where('id', '=', who.userId) : query.where('email', '=', who.email.toLowerCase())).executeTakeFirst();
  return createTranslator(
    negotiateLocale({ siteDefault: site?.locale && isSupportedLocale(site.locale) ? site.locale : settings.locale, siteForced: settings.localeForced, accountPreference: row?.locale ?? null, supported: options.pseudo ? [...SUPPORTED_LOCALES, PSEUDO_LOCALE] : SUPPORTED_LOCALES }),
  );
}
