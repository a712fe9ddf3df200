import fs from 'node:fs';
import { JSDOM, VirtualConsole } from 'jsdom';
import { parseHtmlArticle } from './src/articles/import-html.ts';
import { parseTextArticle } from './src/articles/import-text.ts';
const dir = '/work/shared/data/import-dev';
const pages = fs.readdirSync(dir).filter((d) => fs.existsSync(`${dir}/${d}/page.html`)).slice(0, 40);
const html = pages.map((p) => fs.readFileSync(`${dir}/${p}/page.html`, 'utf8'));
const text = pages.map((p) => fs.readFileSync(`${dir}/${p}/page.txt`, 'utf8'));
let t = Date.now();
for (const h of html) new JSDOM(h.replace(/<style\b[^>]*>[\s\S]*?<\/style\s*>/gi, ''), { virtualConsole: new VirtualConsole() });
console.log('jsdom only', (Date.now() - t) / pages.length, 'ms/page');
t = Date.now();
for (const h of html) { try { parseHtmlArticle(h) } catch {} }
console.log('html import', (Date.now() - t) / pages.length, 'ms/page');
t = Date.now();
for (const h of text) { try { parseTextArticle(h) } catch {} }
console.log('text import', (Date.now() - t) / pages.length, 'ms/page');
