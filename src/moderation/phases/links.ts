import { keyedReason, type Phase } from '../model.ts';

// A scheme or "www." is a link however it is written; a bare domain counts only with a top-level
// domain that spam actually uses, so "e.g." or "Node.js" in a sentence are not mistaken for one.
const SCHEME_OR_WWW = /\b(?:https?:\/\/|ftp:\/\/|www\.)[^\s<>"')\]]+/iu;
const BARE_DOMAIN = /(?<![\p{L}\p{N}@.-])(?:[a-z0-9-]+\.)+(?:com|net|org|info|biz|io|co|uk|ly|me|tv|xyz|ru|online|site|top|club|shop|app|gl|gg)(?:\/[^\s<>"')\]]*)?(?![\p{L}\p{N}])/iu;
const ANCHOR = /<a\s[^>]*href\s*=\s*["']?([^"'\s>]+)/iu;

/** The first link in the comment's text or rendered HTML, or null. */
export function findLink(body: string, bodyHtml?: string): string | null {
  const text = body.normalize('NFKC');
  const inText = SCHEME_OR_WWW.exec(text) ?? BARE_DOMAIN.exec(text);
  if (inText) return inText[0];
  const inHtml = bodyHtml ? ANCHOR.exec(bodyHtml) : null;
  return inHtml ? inHtml[1] : null;
}

/** Every link is tagged, so moderators can filter for them; when the setting says so, it is held too. */
export const links: Phase = {
  name: 'links',
  run({ body, bodyHtml, settings }) {
    const link = findLink(body, bodyHtml);
    if (!link) return undefined;
    if (!settings.holdLinks) return { tags: ['link'] };
    return { status: 'held', reason: keyedReason('link', 'moderation.detail.link', { link }), tags: ['link'] };
  },
};
