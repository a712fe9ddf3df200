// Small text and value helpers shared by the HTML importer's parts.
import type { ArticleAuthor } from './model.ts';

export type JsonObject = Record<string, unknown>;


export function normalize(text: string | null | undefined): string | null {
  const t = text?.replace(/[\s\u200B]+/g, ' ').trim();
  return t ? t : null;
}

export function isText(value: string | null | undefined): value is string {
  return typeof value === 'string' && value !== '';
}

export function nonEmpty<T>(list: T[]): T[] | null {
  return list.length > 0 ? list : null;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function looksLikeUrl(text: string): boolean {
  return /^(?:https?:)?\/\/|^www\./i.test(text);
}

/** JSON-LD strings from WordPress and others often still carry HTML entities (&#8217;, &amp;). */
export function decodeEntities(doc: Document, text: string): string {
  if (!/&(?:#\d+|#x[\da-f]+|[a-z]+\d*);/i.test(text)) return text;
  // A <textarea>'s content is parsed as text with entities, never as elements.
  const area = doc.createElement('textarea');
  area.innerHTML = text;
  return area.value;
}

export function absoluteUrl(url: string | null | undefined, base: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim(), base ?? undefined);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}


/** Splits "By Jane Doe and John Roe" / "Jane Doe, John Roe" into people. */
export function splitByline(text: string): ArticleAuthor[] {
  const cleaned = normalize(text)?.replace(/^by\s+/i, '') ?? '';
  return cleaned
    .split(/\s*(?:,|;|&|\band\b)\s*/i)
    .map((name) => normalize(name))
    .filter(isText)
    .map((name) => ({ name }));
}

export function dedupeAuthors(authors: ArticleAuthor[]): ArticleAuthor[] {
  const seen = new Set<string>();
  return authors.filter((a) => !seen.has(a.name.toLowerCase()) && seen.add(a.name.toLowerCase()));
}

export function joinNames(authors: ArticleAuthor[]): string | null {
  return authors.length > 0 ? authors.map((a) => a.name).join(', ') : null;
}
