import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formattingLocale, isSupportedLocale, PSEUDO_LOCALE, SUPPORTED_LOCALES } from './locales.ts';
import { acceptedLanguages, matchSupported, negotiateLocale } from './negotiate.ts';
import { createTranslator, type Translator } from './translator.ts';

// The language of one request (rule: negotiate.ts): the site's setting, the reader's own choice
// (users.locale, read with the session), then the browser's Accept-Language. Every page and error
// reads `request.i18n`; it is worked out on first use, after the reader is known.
//
// Anonymous pages are cached and served before Fastify sees the request (http/anonymous-cache.ts).
// For an anonymous reader the language depends on the site's settings, the same for all of them,
// and on Accept-Language alone, so the cache keeps one copy per `browserLocale` of the header:
// a French browser never gets the copy made for an English one.

declare module 'fastify' {
  interface FastifyRequest {
    /** The translator for this request's language; `i18n.locale` names it. */
    readonly i18n: Translator;
    i18nChosen: Translator | null;
    /** The language of the site this request serves (sites.locale), set by speakForSite(); null: the service's. */
    i18nSite: string | null;
    /** The site this request serves, when known: its cached pages are dropped when its language changes. */
    i18nSiteId: number | null;
  }
}

/** The site-wide part of the choice (src/settings): its language, and whether it speaks only that. */
export interface SiteLanguage {
  locale: string;
  localeForced: boolean;
}

export interface RequestLanguageOptions {
  /** Offer the pseudo-locale en-XA to browsers that ask for it (development and browser tests only). */
  pseudo?: boolean;
  /** The site's language settings (settings/store.ts keeps them in memory for a few seconds). */
  siteLanguage: () => Promise<SiteLanguage>;
  /**
   * The site a page request serves (sites/request-site.ts: an article's), whose own language then
   * stands in for the service's; null for pages of no particular site.
   */
  siteOf?: (request: FastifyRequest) => Promise<{ id: number; locale?: string | null } | null>;
}

// Browsers send few distinct headers; a bound keeps odd ones from growing the memo without limit.
const MEMO_LIMIT = 1000;

export class RequestLanguages {
  readonly supported: readonly string[];
  private site: SiteLanguage = { locale: 'en', localeForced: false };
  private readonly memo = new Map<string, string>();

  readonly siteOf: RequestLanguageOptions['siteOf'];

  constructor(private readonly options: RequestLanguageOptions) {
    this.siteOf = options.siteOf;
    this.supported = options.pseudo ? [...SUPPORTED_LOCALES, PSEUDO_LOCALE] : SUPPORTED_LOCALES;
  }

  /**
   * The language Parley speaks that this Accept-Language header asks for first, or '' when it asks
   * for none of them (or for anything: "*"), which means the site's default. It is also what tells
   * anonymous cached copies of a page apart, so it is cheap: one map lookup for a header seen before.
   */
  browserLocale(header: string | string[] | undefined): string {
    const value = Array.isArray(header) ? header.join(',') : header;
    if (!value) return '';
    let locale = this.memo.get(value);
    if (locale === undefined) {
      locale = '';
      for (const tag of acceptedLanguages(value)) {
        if (tag === '*') break;
        const match = matchSupported(tag, this.supported);
        if (match) {
          locale = match;
          break;
        }
      }
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      this.memo.set(value, locale);
    }
    return locale;
  }

  /**
   * Reads the site's settings (cached by the settings store) before the request needs them. When the
   * database cannot answer, the last settings seen stay: a health check or an error page must not
   * fail for want of a language.
   */
  async refresh(): Promise<void> {
    try {
      const { locale, localeForced } = await this.options.siteLanguage();
      this.site = { locale, localeForced };
    } catch {
      // Keep the last known settings; the request's own queries report the database's state.
    }
  }

  /**
   * The translator for a reader with this account preference and this Accept-Language header, on a
   * site whose own language (sites.locale) is `siteLocale` (null or unknown: the service's setting).
   */
  translatorFor(accountPreference: string | null | undefined, acceptLanguage: string | string[] | undefined, siteLocale: string | null = null): Translator {
    const browser = this.browserLocale(acceptLanguage);
    return createTranslator(
      negotiateLocale({
        siteDefault: siteLocale && isSupportedLocale(siteLocale) ? siteLocale : this.site.locale,
        siteForced: this.site.localeForced,
        accountPreference: accountPreference ?? null,
        acceptLanguage: browser || null,
        supported: this.supported,
      }),
    );
  }
}

/** Gives every request `request.i18n`, and marks HTML answers as varying with Accept-Language. */
export function installRequestLanguage(app: FastifyInstance, languages: RequestLanguages): void {
  app.decorateRequest('i18nChosen', null);
  app.decorateRequest('i18nSite', null);
  app.decorateRequest('i18nSiteId', null);
  app.decorateRequest('i18n', {
    getter(this: FastifyRequest) {
      return (this.i18nChosen ??= languages.translatorFor(this.actor?.locale, this.headers['accept-language'], this.i18nSite));
    },
  });
  app.addHook('onRequest', async () => {
    await languages.refresh();
  });
  const siteOf = languages.siteOf;
  if (siteOf) {
    app.addHook('preHandler', async (request) => {
      const site = await siteOf(request);
      if (site) speakForSite(request, site);
    });
  }
  app.addHook('onSend', async (request, reply, payload) => {
    // A cached anonymous page of a site is dropped when the site changes (event stream site:<id>),
    // its language among the rest. This hook runs before the page cache's (server.ts installs it first).
    if (request.i18nSiteId !== null && request.pageCacheTags) request.pageCacheTags.push(`site:${request.i18nSiteId}`);
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) {
      // Caches between the reader and us must keep one copy per language too.
      reply.header('vary', varyWith(reply.getHeader('vary'), 'accept-language'));
      if (request.i18nChosen) reply.header('content-language', htmlLang(request.i18nChosen.locale));
    }
    return payload;
  });
}

/**
 * Says which site the request serves (an embed frame, one of the site's articles), so that its
 * language (sites.locale) stands in for the service's in the choice. Call it before anything is
 * written; a language already worked out for the request is worked out again.
 */
export function speakForSite(request: FastifyRequest, site: { id?: number; locale?: string | null } | null): void {
  if (site?.id !== undefined) request.i18nSiteId = site.id;
  const locale = site?.locale ?? null;
  if (locale === request.i18nSite) return;
  request.i18nSite = locale;
  request.i18nChosen = null;
}

function varyWith(current: unknown, name: string): string {
  const list = typeof current === 'string' ? current.split(',').map((s) => s.trim()).filter(Boolean) : [];
  if (!list.some((v) => v.toLowerCase() === name || v === '*')) list.push(name);
  return list.join(', ');
}

/** The `lang` of a page in this locale. */
export const htmlLang = formattingLocale;
