import { isSupportedLocale, SUPPORTED_LOCALES } from '../i18n/locales.ts';
import { createTranslator, type MessageKey, type Translator } from '../i18n/translator.ts';
import { normaliseOrigin } from './addresses.ts';

// A site is one publication served by this Parley: its name, the origins whose pages may embed its
// conversations, how its readers sign in (single sign-on with the publisher's accounts) and its look.

export const DEFAULT_SITE_KEY = 'default';

/** How a publisher's own accounts sign readers in (src/sso). Every part is off until configured. */
export interface SiteSso {
  /** Tokens signed by the publisher's server: HS256 with `secret`, or RS256/ES256 with keys at `jwksUrl`. */
  jwt?: { secret?: string | null; jwksUrl?: string | null } | null;
  /** "Sign in with <label>" through the publisher's OpenID provider. */
  oidc?: { issuer: string; clientId: string; clientSecret?: string | null; label: string } | null;
  /** Roles from the publisher: a claim whose values map to Parley roles. Off unless set. */
  roles?: { claim: string; map: Record<string, 'staff' | 'moderator'> } | null;
}

/** CSS custom properties the embed and the site's pages follow. */
export interface SiteTheme {
  accent?: string;
  background?: string;
  text?: string;
  fontBody?: string;
  fontHeadline?: string;
}

export interface Site {
  id: number;
  key: string;
  name: string;
  origins: string[];
  sso: SiteSso;
  theme: SiteTheme;
  /** The language the site speaks to readers who ask for none Parley speaks; null: the service's. */
  locale?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const SITE_KEY_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

const COLOUR = /^(#[0-9a-f]{3,8}|(rgb|hsl)a?\(\s*[\d.%\s,/]+\))$/i;
// Font stacks: names, quotes, commas and spaces; nothing that could close the declaration.
const FONT_STACK = /^[\p{L}\p{N} ,'"-]{1,200}$/u;

export const THEME_FIELDS = {
  accent: { property: '--parley-accent', check: COLOUR, label: 'Accent colour' },
  background: { property: '--parley-paper', check: COLOUR, label: 'Background colour' },
  text: { property: '--parley-ink', check: COLOUR, label: 'Text colour' },
  fontBody: { property: '--parley-font-text', check: FONT_STACK, label: 'Body font' },
  fontHeadline: { property: '--parley-font-headline', check: FONT_STACK, label: 'Headline font' },
} as const satisfies Record<keyof SiteTheme, { property: string; check: RegExp; label: string }>;

export type ThemeField = keyof typeof THEME_FIELDS;

const ENGLISH = createTranslator('en');

/** What is wrong with a site's settings, in words for the admin (English unless `i18n` says); null when nothing is. */
export function siteProblem(input: { key?: string; name?: string; origins?: string[]; theme?: SiteTheme; sso?: SiteSso; locale?: string | null }, { t }: Translator = ENGLISH): string | null {
  if (input.locale && !isSupportedLocale(input.locale)) return t('sites.problem.locale', { locale: input.locale, supported: SUPPORTED_LOCALES.join(', ') });
  if (input.key !== undefined && !SITE_KEY_PATTERN.test(input.key)) return t('sites.problem.key');
  if (input.name !== undefined && (input.name.trim().length === 0 || input.name.length > 120)) return t('sites.problem.name');
  if (input.origins) {
    if (input.origins.length > 50) return t('sites.problem.tooManyOrigins');
    for (const origin of input.origins) {
      if (normaliseOrigin(origin) === null) return t('sites.problem.origin', { origin });
    }
  }
  if (input.theme) {
    for (const [field, value] of Object.entries(input.theme)) {
      const spec = THEME_FIELDS[field as ThemeField];
      if (!spec) return t('sites.problem.themeField', { field });
      // i18n-keys: admin.site.theme.*
      if (value !== undefined && value !== '' && !spec.check.test(String(value))) return t('sites.problem.themeValue', { label: t(`admin.site.theme.${field}` as MessageKey), value: String(value) });
    }
  }
  const sso = input.sso;
  if (sso?.jwt?.jwksUrl && !/^https?:\/\//.test(sso.jwt.jwksUrl)) return t('sites.problem.jwks');
  if (sso?.jwt?.secret !== undefined && sso.jwt.secret !== null && sso.jwt.secret !== '' && sso.jwt.secret.length < 32) return t('sites.problem.secret');
  if (sso?.oidc) {
    if (!/^https?:\/\//.test(sso.oidc.issuer)) return t('sites.problem.issuer');
    if (!sso.oidc.clientId) return t('sites.problem.clientId');
    if (!sso.oidc.label?.trim()) return t('sites.problem.label');
  }
  if (sso?.roles) {
    if (!sso.roles.claim) return t('sites.problem.claim');
    for (const role of Object.values(sso.roles.map)) if (role !== 'staff' && role !== 'moderator') return t('sites.problem.roles');
  }
  return null;
}

/** The site's look as a CSS rule of custom properties; values were checked when they were saved. */
export function themeCss(theme: SiteTheme, selector = ':root'): string {
  const declarations = Object.entries(theme)
    .filter(([field, value]) => field in THEME_FIELDS && typeof value === 'string' && value !== '' && THEME_FIELDS[field as ThemeField].check.test(value))
    .map(([field, value]) => `${THEME_FIELDS[field as ThemeField].property}: ${value};`);
  return declarations.length ? `${selector} { ${declarations.join(' ')} }\n` : '';
}

/** Whether a moderator may act on a site: no site list means every site. */
export function moderatesSite(moderatorSites: readonly number[] | null | undefined, siteId: number): boolean {
  return !moderatorSites || moderatorSites.length === 0 || moderatorSites.includes(siteId);
}
