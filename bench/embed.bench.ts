// Issue 11: the embedded frame of a conversation with 200 comments against the article page of the
// same conversation, anonymous, alternating rounds in one run (target: ratio ≥ 0.9); and the count
// endpoint answering for 50 addresses of a listing page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alternate, load, startParley } from './lib.ts';
import { addArticle, addConversation, addReader, migrate, openRaw } from './comments-fixtures.ts';

const CONNECTIONS = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ORIGIN = 'https://www.example-news.test';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-embed-'));
await migrate(dataDir);
const raw = openRaw(dataDir);
const authors = ['Ann', 'Ben', 'Cat', 'Dev', 'Eve'].map((name) => addReader(raw, name).userId);
const now = new Date().toISOString();
const site = Number(
  raw.prepare(`insert into sites (key, name, origins, sso, theme, created_at, updated_at) values ('bench-news', 'Bench News', ?, '{}', '{}', ?, ?)`).run(JSON.stringify([ORIGIN]), now, now).lastInsertRowid,
);
const articleId = addArticle(raw, 'embedded-story');
raw.prepare(`update articles set site_id = ?, source_url = ?, address_key = ?, import_key = ? where id = ?`).run(site, `${ORIGIN}/news/embedded-story`, 'example-news.test/news/embedded-story', `url:${ORIGIN}/news/embedded-story`, articleId);
addConversation(raw, articleId, authors, 200, 20);
// Fifty stories of a listing page, each with a conversation of its own.
const listed: string[] = [];
for (let i = 0; i < 50; i++) {
  const id = addArticle(raw, `listed-${i}`);
  const address = `${ORIGIN}/news/listed-${i}`;
  raw.prepare(`update articles set site_id = ?, source_url = ?, address_key = ?, import_key = ?, comment_count = ? where id = ?`).run(site, address, `example-news.test/news/listed-${i}`, `url:${address}`, i, id);
  listed.push(address);
}
raw.close();

const parley = await startParley(3994, { SQLITE_SYNCHRONOUS: 'FULL', PARLEY_SEED_EXAMPLE: '0', LOG_LEVEL: 'warn' }, dataDir);
try {
  const articleUrl = `${parley.url}/articles/embedded-story`;
  const frameUrl = `${parley.url}/embed/bench-news?${new URLSearchParams({ url: `${ORIGIN}/news/embedded-story`, title: 'Embedded story', origin: ORIGIN }).toString()}`;
  for (const url of [articleUrl, frameUrl]) {
    const res = await fetch(url);
    const html = await res.text();
    const comments = (html.match(/class="comment[ "]/g) ?? []).length;
    if (res.status !== 200 || comments === 0) throw new Error(`${url} answered ${res.status} with ${comments} comments`);
    console.log(`${url.slice(parley.url.length)}: ${html.length} bytes, ${comments} comments shown`);
  }
  await load(articleUrl, { connections: CONNECTIONS, durationSeconds: 1 });
  await load(frameUrl, { connections: CONNECTIONS, durationSeconds: 1 });
  const frame = await alternate(
    'anonymous embed frame vs the article page of the same 200-comment conversation',
    { name: 'article page', run: () => load(articleUrl, { connections: CONNECTIONS, durationSeconds: SECONDS }) },
    { name: 'embed frame', run: () => load(frameUrl, { connections: CONNECTIONS, durationSeconds: SECONDS }) },
  );
  const query = new URLSearchParams({ site: 'bench-news' });
  for (const address of listed) query.append('url', address);
  const countsUrl = `${parley.url}/api/v1/embed/counts?${query.toString()}`;
  const check = (await (await fetch(countsUrl)).json()) as { counts: Record<string, number> };
  if (Object.keys(check.counts).length !== 50 || check.counts[listed[7]!] !== 7) throw new Error('the count endpoint answered wrongly');
  const counts = await load(countsUrl, { connections: CONNECTIONS, durationSeconds: SECONDS });
  console.log(`RESULT embed frame/article ratio=${frame.ratio.toFixed(2)} target>=0.9 ${frame.ratio >= 0.9 ? 'MET' : 'MISSED'}; counts for 50 addresses: ${Math.round(counts.requestsPerSecond)} req/s`);
} finally {
  await parley.stop();
}
