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

/** What is wrong with a site's settings, in words for the admin; null when nothing is. */
export function siteProblem(input: { key?: string; name?: string; origins?: string[]; theme?: SiteTheme; sso?: SiteSso }): string | null {
  if (input.key !== undefined && !SITE_KEY_PATTERN.test(input.key)) return 'The key must be 1 to 40 lower-case letters, digits or dashes, starting and ending with a letter or digit.';
  if (input.name !== undefined && (input.name.trim().length === 0 || input.name.length > 120)) return 'The name must be between 1 and 120 characters.';
  if (input.origins) {
    if (input.origins.length > 50) return 'A site can list at most 50 origins.';
    for (const origin of input.origins) {
      if (normaliseOrigin(origin) === null) return `“${origin}” is not an origin: give the scheme and host only, like https://www.example.com`;
    }
  }
  if (input.theme) {
    for (const [field, value] of Object.entries(input.theme)) {
      const spec = THEME_FIELDS[field as ThemeField];
      if (!spec) return `The look has no setting “${field}”.`;
      if (value !== undefined && value !== '' && !spec.check.test(String(value))) return `${spec.label}: “${value}” is not a value Parley can use.`;
    }
  }
  const sso = input.sso;
  if (sso?.jwt?.jwksUrl && !/^https?:\/\//.test(sso.jwt.jwksUrl)) return 'The JWKS address must be an http(s) address.';
  if (sso?.jwt?.secret !== undefined && sso.jwt.secret !== null && sso.jwt.secret !== '' && sso.jwt.secret.length < 32) return 'The signing secret must be at least 32 characters long.';
  if (sso?.oidc) {
    if (!/^https?:\/\//.test(sso.oidc.issuer)) return 'The OpenID issuer must be an http(s) address.';
    if (!sso.oidc.clientId) return 'The OpenID client id is missing.';
    if (!sso.oidc.label?.trim()) return 'The OpenID button needs a label (the publisher’s name).';
  }
  if (sso?.roles) {
    if (!sso.roles.claim) return 'The role claim needs a name.';
    for (const role of Object.values(sso.roles.map)) if (role !== 'staff' && role !== 'moderator') return 'Roles from the publisher can only be staff or moderator.';
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
