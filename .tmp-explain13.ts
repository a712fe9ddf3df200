import fs from 'node:fs';
import { explainHtmlArticle } from './src/articles/import-html.ts';
import { formatExplanation } from './src/articles/extract/candidates.ts';
for (const p of process.argv.slice(2)) {
  const r = explainHtmlArticle(fs.readFileSync(`/work/shared/data/import-dev/${p}/page.html`, 'utf8'));
  console.log('=====', p); console.log(formatExplanation(r.explanation, 5));
}
