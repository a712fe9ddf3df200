// Judging a line of copied text: how long it is and whether it ends like a sentence.

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

export function endsLikeProse(text: string): boolean {
  return /[.!?…:;,]["'”’»)\]]*$/u.test(text);
}

export function endsSentence(text: string): boolean {
  return /[.!?…]["'”’»)\]]*$/u.test(text);
}
