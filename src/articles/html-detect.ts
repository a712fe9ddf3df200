// Telling a saved HTML page from text copied off one, without loading an HTML parser.

/** True when the text is an HTML document or fragment rather than a plain-text article. */
export function looksLikeHtml(text: string): boolean {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  // Saved pages open with a doctype, an XML prolog, a comment ("saved from url=") or a tag; a text
  // article that merely mentions a tag further down must not count.
  if (!start.startsWith('<')) return false;
  return /<!doctype\s+html|<(?:html|head|body|article)[\s>]/i.test(start.slice(0, 2048));
}
