import slugify from 'slugify';

const MAX_SLUG_LENGTH = 80;

/** A readable URL slug from a headline, cut at a word boundary. */
export function slugFromHeadline(headline: string): string {
  const full = slugify(headline, { lower: true, strict: true, trim: true });
  if (full.length <= MAX_SLUG_LENGTH) return full || 'article';
  const cut = full.slice(0, MAX_SLUG_LENGTH);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > 20 ? cut.slice(0, lastDash) : cut) || 'article';
}
