// A whole-page text copy as lines, and the parts of an article read from them by their shape: the
// hero image (an alt line, then the caption repeating it with "(Credit)" at the end) and the body's
// paragraphs (hard-wrapped lines joined, labels and the page after the story's last sentence dropped).

import type { DraftImage } from './model.ts';
import { removeChrome } from './text-furniture.ts';
import { endsLikeProse, endsSentence, wordCount } from './text-lines.ts';

// ---------------------------------------------------------------------------------------------
// Lines

export interface Line {
  text: string;
  /** Lines in the same block had no blank line between them. */
  block: number;
  /** Cells separated by tabs: a row of a table, as a browser copies one. */
  tabular: boolean;
}

export function readLines(text: string): Line[] {
  const lines: Line[] = [];
  let block = 0;
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = removeChrome(tidy(raw));
    if (line === '') {
      if (lines.length > 0 && lines[lines.length - 1].block === block) block++;
      continue;
    }
    lines.push({ text: line, block, tabular: /\S\t+\S/.test(raw) });
  }
  return lines;
}

function tidy(line: string): string {
  return line
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[\s\u00A0]+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Hero image: an alt line, then the caption repeating it with "(Credit)" at the end

const MAX_CAPTION_WORDS = 40;

function splitCredit(text: string): { caption: string; credit: string } | null {
  const match = /^(.*\S)\s*\(([^()]+)\)$/u.exec(text);
  if (!match) return null;
  const credit = match[2].trim();
  if (wordCount(credit) > 8 || !/^\p{L}/u.test(credit) || endsSentence(credit)) return null;
  return { caption: match[1].trim(), credit };
}

export function startsImage(lines: Line[], index: number): boolean {
  return readImage(lines, index).image !== null;
}

export function readImage(lines: Line[], index: number): { image: DraftImage | null; next: number } {
  const first = lines[index]?.text;
  if (first === undefined) return { image: null, next: index };
  const second = lines[index + 1]?.text;
  const captioned = second === undefined ? null : splitCredit(second);
  if (captioned && captioned.caption.startsWith(first)) {
    return { image: { src: null, alt: first, caption: captioned.caption, credit: captioned.credit }, next: index + 2 };
  }
  const alone = splitCredit(first);
  if (alone && wordCount(alone.caption) <= MAX_CAPTION_WORDS) {
    return { image: { src: null, alt: alone.caption, caption: alone.caption, credit: alone.credit }, next: index + 1 };
  }
  return { image: null, next: index };
}

// ---------------------------------------------------------------------------------------------
// Body

// Lines at most this long that do not end like prose are labels, related links or captions.
const MAX_LABEL_WORDS = 12;

export function buildBody(lines: Line[]): string[] {
  const paragraphs = joinWrappedLines(lines).filter((text) => endsLikeProse(text) || wordCount(text) > MAX_LABEL_WORDS);
  // An article ends on a finished sentence; whatever follows the last one is the page, not the story.
  let last = paragraphs.length - 1;
  while (last >= 0 && !endsSentence(paragraphs[last])) last--;
  return last >= 0 ? paragraphs.slice(0, last + 1) : paragraphs;
}

/**
 * Copied web text has one line per paragraph, but hand-made files may be hard-wrapped. A line is
 * continued by the next one in the same block when it stops mid-sentence: the next line starts in
 * lower case, or the line is long and ends on a lower-case word or comma.
 */
function joinWrappedLines(lines: Line[]): string[] {
  const texts: string[] = [];
  lines.forEach((line, index) => {
    const current = texts[texts.length - 1];
    if (index > 0 && continues(current, lines[index - 1], line)) texts[texts.length - 1] = `${current} ${line.text}`;
    else texts.push(line.text);
  });
  return texts;
}

/** Whether `line` carries on the text so far (`text`, ending with `previous`). */
export function continues(text: string, previous: Line, line: Line): boolean {
  return (
    previous.block === line.block &&
    !endsSentence(text) &&
    (/^\p{Ll}/u.test(line.text) || (wordCount(text) >= 8 && /[\p{Ll},;]$/u.test(text)))
  );
}
