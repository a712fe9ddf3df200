// Judging a line of copied text: how long it is and whether it ends like a sentence.

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

// Chinese and Japanese sentences end with full-width marks (。！？), not ASCII ones.
export function endsLikeProse(text: string): boolean {
  return /[.!?…:;,。！？：；，]["'”’»)\]」』）]*$/u.test(text);
}

export function endsSentence(text: string): boolean {
  return /[.!?…。！？]["'”’»)\]」』）]*$/u.test(text);
}

/** "N.Y.C.", "U.S.", "Jr.": a final full stop that closes an abbreviation, not a sentence. */
export function endsWithAbbreviation(text: string): boolean {
  return /(?:^|[\s(])(?:\p{L}\.){2,}$|(?:^|\s)(?:Jr|Sr|Inc|Ltd|Co|Corp|St|Dr|Mr|Mrs|Ms|vs)\.$/u.test(text);
}
