// Issue 4: page 1 of an article with 100,000 comments against page 1 of one with 1,000, for a
// signed-in reader (whose pages are rendered every time, never served from the anonymous page
// cache), alternating rounds in one run. Target: ratio of req/s ≥ 0.67, i.e. cost flat in size.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alternate, load, startParley } from './lib.ts';
import { addArticle, addConversation, addReader, migrate, openRaw } from './comments-fixtures.ts';

const CONNECTIONS = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-comments-page-'));
await migrate(dataDir);
const raw = openRaw(dataDir);
const authors = ['Ann', 'Ben', 'Cat', 'Dev', 'Eve'].map((name) => addReader(raw, name).userId);
const { token } = addReader(raw, 'Viewer');
const seedStarted = Date.now();
const small = addArticle(raw, 'small-conversation');
addConversation(raw, small, authors, 1_000, 200);
const large = addArticle(raw, 'large-conversation');
addConversation(raw, large, authors, 100_000, 20_000);
console.log(`seeded 101,000 comments in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s (bulk, one transaction per article)`);
raw.close();
void small;
void large;

const parley = await startParley(3993, { SQLITE_SYNCHRONOUS: 'FULL', PARLEY_SEED_EXAMPLE: '0', LOG_LEVEL: 'warn' }, dataDir);
try {
  const headers = { cookie: `parley_session=${token}`, accept: 'text/html' };
  const smallUrl = `${parley.url}/articles/small-conversation`;
  const largeUrl = `${parley.url}/articles/large-conversation`;
  for (const url of [smallUrl, largeUrl]) {
    const res = await fetch(url, { headers });
    const html = await res.text();
    const threads = (html.match(/data-thread=/g) ?? []).length;
    if (res.status !== 200 || threads === 0) throw new Error(`${url} answered ${res.status} with ${threads} threads`);
    console.log(`${url}: ${html.length} bytes, ${threads} threads on page 1`);
  }
  await load(smallUrl, { connections: CONNECTIONS, durationSeconds: 1, headers });
  await load(largeUrl, { connections: CONNECTIONS, durationSeconds: 1, headers });
  const page = await alternate(
    'article page 1 with comments, signed in: 100,000 vs 1,000 comments',
    { name: '1,000 comments', run: () => load(smallUrl, { connections: CONNECTIONS, durationSeconds: SECONDS, headers }) },
    { name: '100,000 comments', run: () => load(largeUrl, { connections: CONNECTIONS, durationSeconds: SECONDS, headers }) },
  );
  const api = (slug: string) => `${parley.url}/api/v1/articles/${slug}/comments?sort=replies`;
  const json = await alternate(
    'API page 1 sorted by most replies: 100,000 vs 1,000 comments',
    { name: '1,000 comments', run: () => load(api('small-conversation'), { connections: CONNECTIONS, durationSeconds: SECONDS, headers }) },
    { name: '100,000 comments', run: () => load(api('large-conversation'), { connections: CONNECTIONS, durationSeconds: SECONDS, headers }) },
    2,
  );
  console.log(`RESULT comments-page ratio=${page.ratio.toFixed(2)} (API, most replies: ${json.ratio.toFixed(2)}) target>=0.67 ${page.ratio >= 0.67 && json.ratio >= 0.67 ? 'MET' : 'MISSED'}`);
} finally {
  await parley.stop();
}
