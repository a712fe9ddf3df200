import type { Locale, PSEUDO_LOCALE } from './locales.ts';
import enAccounts from './messages/en/accounts.json' with { type: 'json' };
import enAdmin from './messages/en/admin.json' with { type: 'json' };
import enArticles from './messages/en/articles.json' with { type: 'json' };
import enAudit from './messages/en/audit.json' with { type: 'json' };
import enCli from './messages/en/cli.json' with { type: 'json' };
import enComments from './messages/en/comments.json' with { type: 'json' };
import enCommunity from './messages/en/community.json' with { type: 'json' };
import enEmail from './messages/en/email.json' with { type: 'json' };
import enEmbed from './messages/en/embed.json' with { type: 'json' };
import enErrors from './messages/en/errors.json' with { type: 'json' };
import enLayout from './messages/en/layout.json' with { type: 'json' };
import enModeration from './messages/en/moderation.json' with { type: 'json' };
import enNotification from './messages/en/notification.json' with { type: 'json' };
import enPassages from './messages/en/passages.json' with { type: 'json' };
import enQuotes from './messages/en/quotes.json' with { type: 'json' };
import enSites from './messages/en/sites.json' with { type: 'json' };
import enWebhooks from './messages/en/webhooks.json' with { type: 'json' };
import frAccounts from './messages/fr/accounts.json' with { type: 'json' };
import frAdmin from './messages/fr/admin.json' with { type: 'json' };
import frArticles from './messages/fr/articles.json' with { type: 'json' };
import frAudit from './messages/fr/audit.json' with { type: 'json' };
import frCli from './messages/fr/cli.json' with { type: 'json' };
import frComments from './messages/fr/comments.json' with { type: 'json' };
import frCommunity from './messages/fr/community.json' with { type: 'json' };
import frEmail from './messages/fr/email.json' with { type: 'json' };
import frEmbed from './messages/fr/embed.json' with { type: 'json' };
import frErrors from './messages/fr/errors.json' with { type: 'json' };
import frLayout from './messages/fr/layout.json' with { type: 'json' };
import frModeration from './messages/fr/moderation.json' with { type: 'json' };
import frNotification from './messages/fr/notification.json' with { type: 'json' };
import frPassages from './messages/fr/passages.json' with { type: 'json' };
import frQuotes from './messages/fr/quotes.json' with { type: 'json' };
import frSites from './messages/fr/sites.json' with { type: 'json' };
import frWebhooks from './messages/fr/webhooks.json' with { type: 'json' };

// One catalog per language and area: messages/<locale>/<area>.json, whose keys all start with
// "<area>." (`npm run i18n:check` enforces it), so engineers working on different features add
// keys to different files and never to the same lines. A new area is a pair of files and one line
// per language below (kept in alphabetical order); the English files also make `MessageKey`, so a
// key that does not exist fails the type check.

const en = { ...enAccounts, ...enAdmin, ...enArticles, ...enAudit, ...enCli, ...enComments, ...enCommunity, ...enEmail, ...enEmbed, ...enErrors, ...enLayout, ...enModeration, ...enNotification, ...enPassages, ...enQuotes, ...enSites, ...enWebhooks };
const fr = { ...frAccounts, ...frAdmin, ...frArticles, ...frAudit, ...frCli, ...frComments, ...frCommunity, ...frEmail, ...frEmbed, ...frErrors, ...frLayout, ...frModeration, ...frNotification, ...frPassages, ...frQuotes, ...frSites, ...frWebhooks };

export type Catalog = Readonly<Record<string, string>>;
export type MessageKey = keyof typeof en;

/** English, the source every other language translates; every key exists here. */
export const SOURCE_CATALOG: Readonly<Record<MessageKey, string>> = en;

export const CATALOGS: Readonly<Record<Exclude<Locale, typeof PSEUDO_LOCALE>, Catalog>> = { en, fr };
