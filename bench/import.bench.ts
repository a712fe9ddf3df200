// Import speed: pages per second through the HTML importer (jsdom, evidence scoring, Readability) and
// the whole-page text importer, one page after another in this process. Pages come from the
// development set (../shared/data/import-dev) when it is there, otherwise from the repository's own
// fixtures. Run alone: `node bin/run-ts.js bench/import.bench.ts`.
import fs from 'node:fs';
import path from 'node:path';
import { parseHtmlArticle } from '../src/articles/import-html.ts';
import { parseTextArticle } from '../src/articles/import-text.ts';
import { ROOT } from './lib.ts';

const DEV_DIR = path.resolve(ROOT, '..', 'shared', 'data', 'import-dev');
const SECONDS = Number(process.env.BENCH_IMPORT_SECONDS ?? 8);

function pages(): { html: string[]; text: string[]; from: string } {
  if (fs.existsSync(DEV_DIR)) {
    const dirs = fs.readdirSync(DEV_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(DEV_DIR, d.name));
    return {
      html: dirs.map((d) => fs.readFileSync(path.join(d, 'page.html'), 'utf8')),
      text: dirs.map((d) => fs.readFileSync(path.join(d, 'page.txt'), 'utf8')),
      from: `${dirs.length} development-set pages`,
    };
  }
  const htmlDir = path.join(ROOT, 'test', 'fixtures', 'html');
  const html = fs.readdirSync(htmlDir).filter((f) => f.endsWith('.html')).map((f) => fs.readFileSync(path.join(htmlDir, f), 'utf8'));
  const text = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.txt')).map((f) => fs.readFileSync(path.join(ROOT, 'examples', f), 'utf8'));
  return { html, text, from: 'repository fixtures' };
}

/** Pages per second over `seconds` of importing the pages round-robin (refusals count: they are work too). */
function rate(sources: string[], importOne: (source: string) => unknown, seconds: number): { perSecond: number; bytesPerSecond: number } {
  for (const s of sources.slice(0, 5)) tryImport(importOne, s); // warm up the JIT and lazy modules
  let done = 0;
  let bytes = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < deadline) {
    const source = sources[done % sources.length];
    tryImport(importOne, source);
    bytes += Buffer.byteLength(source);
    done++;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  return { perSecond: done / elapsed, bytesPerSecond: bytes / elapsed };
}

function tryImport(importOne: (source: string) => unknown, source: string): void {
  try {
    importOne(source);
  } catch {
    // A refused page (no headline, no body) still cost the import its work.
  }
}

const { html, text, from } = pages();
console.log(`import speed over ${from}, ${SECONDS} s each`);
const h = rate(html, (s) => parseHtmlArticle(s), SECONDS);
console.log(`html import: ${h.perSecond.toFixed(1)} pages/s (${(h.bytesPerSecond / 1e6).toFixed(2)} MB/s)`);
const t = rate(text, (s) => parseTextArticle(s), SECONDS);
console.log(`text import: ${t.perSecond.toFixed(1)} pages/s (${(t.bytesPerSecond / 1e6).toFixed(2)} MB/s)`);
