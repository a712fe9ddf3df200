import fs from 'node:fs';
import path from 'node:path';
import { extractQuotes } from './extract.ts';
import { personSlug, quoteKey } from './model.ts';

// Scores the extraction against articles annotated by hand (test/quotes/gold): precision and recall of
// (speaker, quote) pairs. A pair matches when the speaker's name and the quote's words are the same,
// ignoring case, punctuation and quotation marks.

export interface GoldArticle {
  name: string;
  paragraphs: string[];
  quotes: { speaker: string; text: string }[];
}

export interface ArticleScore {
  name: string;
  gold: number;
  found: number;
  matched: number;
  missed: { speaker: string; text: string }[];
  wrong: { speaker: string; text: string }[];
}

export function loadGold(dir: string): GoldArticle[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.json'.length);
      const meta = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { quotes: { speaker: string; text: string }[] };
      const paragraphs = fs.readFileSync(path.join(dir, `${name}.txt`), 'utf8').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
      return { name, paragraphs, quotes: meta.quotes };
    });
}

const pairKey = (q: { speaker: string; text: string }) => `${personSlug(q.speaker)}|${quoteKey(q.text)}`;

export function scoreArticle(article: GoldArticle): ArticleScore {
  const found = extractQuotes(article.paragraphs).quotes;
  const unmatchedGold = new Map<string, number>();
  for (const q of article.quotes) unmatchedGold.set(pairKey(q), (unmatchedGold.get(pairKey(q)) ?? 0) + 1);
  const wrong: ArticleScore['wrong'] = [];
  let matched = 0;
  for (const q of found) {
    const left = unmatchedGold.get(pairKey(q)) ?? 0;
    if (left > 0) {
      matched++;
      unmatchedGold.set(pairKey(q), left - 1);
    } else wrong.push({ speaker: q.speaker, text: q.text });
  }
  const missed = article.quotes.filter((q) => {
    const left = unmatchedGold.get(pairKey(q)) ?? 0;
    if (left > 0) unmatchedGold.set(pairKey(q), left - 1);
    return left > 0;
  });
  return { name: article.name, gold: article.quotes.length, found: found.length, matched, missed, wrong };
}

export function totals(scores: ArticleScore[]) {
  const gold = scores.reduce((n, s) => n + s.gold, 0);
  const found = scores.reduce((n, s) => n + s.found, 0);
  const matched = scores.reduce((n, s) => n + s.matched, 0);
  return { articles: scores.length, gold, found, matched, precision: found ? matched / found : 1, recall: gold ? matched / gold : 1 };
}
