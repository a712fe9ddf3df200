import fs from 'node:fs';
import { explainTextArticle } from '/work/main/src/articles/import-text.ts';
const p = process.argv[2];
const t = fs.readFileSync(`/work/shared/data/import-dev/${p}/page.txt`, 'utf8');
try {
const r = explainTextArticle(t);
const c = r.explanation[0] as any;
const cs = [...(c?.candidates ?? [])].sort((a: any, b: any) => b.score - a.score).slice(0, Number(process.argv[3] ?? 5));
for (const x of cs) console.log(x.score, JSON.stringify(x.shown).slice(0,100), '\n   ', x.reasons.join(' | '));
const d = r.draft; console.log({ headline: d.headline, standfirst: d.standfirst, authors: d.authors, date: d.publishedAt, tz: d.timeZone, image: d.image, body0: d.body[0], nbody: d.body.length, bodyLast: d.body.at(-1) });
} catch (e) { console.log(e); }
