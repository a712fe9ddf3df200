// Lighthouse (12.2.3) on the pages a reader sees most: the front page, an article page and a
// 200-comment article page, for accessibility, best practices and SEO. Starts its own server with that
// data (scripts/demo-site.ts), drives Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH; nothing
// is downloaded), prints each score and every audit that did not pass, and exits 1 unless all are 100.
//   npm run lighthouse
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { startDemoSite } from './demo-site.ts';

const CATEGORIES = ['accessibility', 'best-practices', 'seo'] as const;
const chromePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const started = Date.now();
const site = await startDemoSite();
const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
let failed = false;
try {
  const pages: [string, string][] = [
    ['front page', site.frontPath],
    ['article page', site.articlePath],
    ['200-comment article page', site.busyPath],
  ];
  for (const [name, path] of pages) {
    const result = await lighthouse(`${site.baseUrl}${path}`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES], formFactor: 'desktop', screenEmulation: { disabled: true } });
    if (!result) throw new Error(`Lighthouse returned nothing for ${path}`);
    const { lhr } = result;
    if (lhr.runtimeError) throw new Error(`Lighthouse could not load ${path}: ${lhr.runtimeError.message}`);
    const scores = CATEGORIES.map((id) => [id, Math.round((lhr.categories[id]?.score ?? 0) * 100)] as const);
    console.log(`${name.padEnd(26)} ${scores.map(([id, score]) => `${id} ${score}`).join('  ')}`);
    for (const id of CATEGORIES) {
      for (const ref of lhr.categories[id]?.auditRefs ?? []) {
        const audit = lhr.audits[ref.id];
        if (!audit || ref.weight === 0 || audit.score === null || audit.score === 1) continue;
        failed = true;
        const items = ((audit.details as { items?: { node?: { snippet?: string; selector?: string }; url?: string; description?: string }[] } | undefined)?.items ?? []).slice(0, 5);
        console.log(`  ✗ ${id}: ${audit.id} — ${audit.title}`);
        for (const item of items) console.log(`      ${item.node?.selector ?? item.url ?? item.description ?? JSON.stringify(item).slice(0, 160)}${item.node?.snippet ? ` ${item.node.snippet.slice(0, 160)}` : ''}`);
      }
    }
    if (scores.some(([, score]) => score < 100)) failed = true;
  }
} finally {
  await chrome.kill();
  await site.close();
}
console.log(`${failed ? 'Not every score is 100.' : 'Every score is 100.'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(failed ? 1 : 0);
