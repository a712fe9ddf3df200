// Which language a reader gets. The rule, in order:
//   1. the site forces its default language (setting `localeForced`): the site default, for everyone;
//   2. the reader's own preference (account setting), when the site speaks it;
//   3. the browser's Accept-Language, best quality first, a regional tag falling back to its language
//      ("fr-CA" → "fr"), a wildcard meaning "anything" (so the site default);
//   4. the site default.
// The issue lists "site default, then reader preference, then Accept-Language": the default frames the
// choice (it is both the fallback and, when forced, the only answer); what a reader chose explicitly
// beats what their browser guesses.

export interface LocaleChoice {
  siteDefault: string;
  /** The site speaks only its default language, whatever readers and browsers ask for. */
  siteForced?: boolean;
  accountPreference?: string | null;
  acceptLanguage?: string | null;
  supported: readonly string[];
}

export function negotiateLocale(choice: LocaleChoice): string {
  const { siteDefault, supported } = choice;
  if (choice.siteForced) return siteDefault;
  const preferred = choice.accountPreference ? matchSupported(choice.accountPreference, supported) : null;
  if (preferred) return preferred;
  for (const tag of acceptedLanguages(choice.acceptLanguage ?? '')) {
    if (tag === '*') return siteDefault;
    const match = matchSupported(tag, supported);
    if (match) return match;
  }
  return siteDefault;
}

/** The supported locale for a tag: the same tag in any case, else its language alone, else null. */
export function matchSupported(tag: string, supported: readonly string[]): string | null {
  const lower = tag.trim().toLowerCase();
  if (lower === '') return null;
  const exact = supported.find((s) => s.toLowerCase() === lower);
  if (exact) return exact;
  const language = lower.split(/[-_]/)[0];
  return supported.find((s) => s.toLowerCase() === language) ?? null;
}

// Browsers send a handful of tags; a header longer than this is not worth reading.
const MAX_ACCEPT_LANGUAGE = 500;

/** The tags of an Accept-Language header, best first (equal qualities keep their order); q=0 means "not this". */
export function acceptedLanguages(header: string): string[] {
  return header
    .slice(0, MAX_ACCEPT_LANGUAGE)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)).find(Boolean);
      return { tag: tag.trim(), quality: q ? Number(q[1]) : 1, index };
    })
    .filter((e) => /^(?:\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$/.test(e.tag) && e.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
    .map((e) => e.tag);
}
