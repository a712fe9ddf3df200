import fs from 'node:fs';
import { explainTextArticle } from './src/articles/import-text.ts';
import { formatExplanation } from './src/articles/extract/candidates.ts';
for (const p of process.argv.slice(2)) {
  try {
  const r = explainTextArticle(fs.readFileSync(`/work/shared/data/import-dev/${p}/page.txt`, 'utf8'));
  console.log('=====', p); console.log(formatExplanation(r.explanation, 6));
  } catch (e) { console.log(p, String(e)) }
}
