// The story's paragraphs, as Readability separates them from the page around them.
import { Readability } from '@mozilla/readability';
import type { BodyBlock } from './model.ts';
import { normalize } from './html-text.ts';

const CHROME: RegExp[] = [
  /^(?:read|see) (?:more|also)\b/i,
  /^(?:related|more on this(?: story)?|recommended|most read)\s*:/i,
  /^(?:sign[ -]?up|subscribe|register now|get (?:our|the) \w+ newsletter)\b/i,
  /\b(?:sign[ -]?up|subscribe)\b.*\b(?:newsletter|inbox|email)\b|\b(?:newsletter|inbox)\b.*\b(?:sign[ -]?up|subscribe)\b/i,
  /^share (?:this|on|via)\b/i,
  /^(?:follow us|click here)\b/i,
  /^advertisement$/i,
  /\bwe use cookies\b|\baccept (?:all )?cookies\b/i,
];
const CHROME_MAX_LENGTH = 200;

function isChrome(text: string): boolean {
  return text.length <= CHROME_MAX_LENGTH && CHROME.some((re) => re.test(text));
}

export function extractBody(doc: Document, drop: Set<string>): BodyBlock[] {
  // The serializer hands back Readability's content element itself: no HTML round trip.
  const result = new Readability<Element>(doc, { serializer: (node) => node as Element }).parse();
  const content = result?.content;
  if (!content) return [];
  const blocks: BodyBlock[] = [];
  for (const p of content.querySelectorAll('p')) {
    if (p.closest('figure, figcaption')) continue;
    // <br> has no text; without this "line one<br>line two" would run together.
    for (const br of p.querySelectorAll('br')) br.replaceWith(' ');
    const text = normalize(p.textContent);
    if (!text || drop.has(text) || isChrome(text)) continue;
    blocks.push({ type: 'paragraph', text });
  }
  return blocks;
}

