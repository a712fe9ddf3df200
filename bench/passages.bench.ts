// Issue 17 §1: the article page of a story whose conversation has 500 comments on passages (quotes
// above every comment, counts in every paragraph's margin) against the same page for the same story
// and conversation without passages, alternating rounds in one run. Two readers: a signed-in reader as
// the page is served (the threads' HTML is shared and cached), and one whose own held comment makes
// the threads render for them alone on every request (the comments' passages read and drawn each
// time: the worst case). Target: ratio ≥ 0.9.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type SqliteDatabase from 'better-sqlite3';
import { alternate, load, startParley } from './lib.ts';
import { addReader, migrate, openRaw } from './comments-fixtures.ts';

const CONNECTIONS = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const COMMENTS = 500;

// Twelve paragraphs of a story, each with a sentence readers quote.
const PARAGRAPHS = Array.from(
  { length: 12 },
  (_, i) => `Paragraph ${i + 1} of the benchmark story reports what the council decided on item ${i + 1}. The quoted sentence of paragraph ${i + 1} says the harbour wall needs repairs. Officials gave no date for the work.`,
);
const quotedSentence = (n: number) => `The quoted sentence of paragraph ${n} says the harbour wall needs repairs.`;

function addStory(db: SqliteDatabase.Database, slug: string): number {
  const now = new Date().toISOString();
  const body = JSON.stringify(PARAGRAPHS.map((text) => ({ type: 'paragraph', text })));
  const r = db
    .prepare(`insert into articles (slug, import_key, headline, authors, time_zone, body, created_at, updated_at, sort_at) values (?, ?, ?, '[]', 'UTC', ?, ?, ?, ?)`)
    .run(slug, `slug:${slug}`, `Benchmark: ${slug}`, body, now, now, now);
  return Number(r.lastInsertRowid);
}

/** 500 first comments of threads; with `passages`, each quotes a sentence of one of the paragraphs. */
function addComments(db: SqliteDatabase.Database, articleId: number, authorIds: number[], passages: boolean): void {
  const insert = db.prepare(`insert into comments (article_id, author_id, depth, path, body, body_html, created_at) values (?, ?, 0, '', ?, ?, ?)`);
  const passage = db.prepare(`insert into comment_passages (comment_id, article_id, paragraph, exact, prefix, suffix, changed, created_at) values (?, ?, ?, ?, ?, ?, 0, ?)`);
  const start = Date.now() - COMMENTS * 1000;
  const counts = new Map<number, number>();
  db.transaction(() => {
    for (let i = 0; i < COMMENTS; i++) {
      const text = `Comment ${i}: a reasonable point, made at reasonable length, about the passage above.`;
      const at = new Date(start + i * 1000).toISOString();
      const id = Number(insert.run(articleId, authorIds[i % authorIds.length], text, `<p>${text}</p>`, at).lastInsertRowid);
      if (!passages) continue;
      const n = (i % PARAGRAPHS.length) + 1;
      passage.run(id, articleId, n, quotedSentence(n), `report what the council decided on item ${n}. `.slice(-32), ' Officials gave no date for the work.'.slice(0, 32), at);
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    for (const [n, count] of counts) db.prepare('insert into passage_counts (article_id, paragraph, comment_count) values (?, ?, ?)').run(articleId, n, count);
    db.prepare('update articles set comment_count = ? where id = ?').run(COMMENTS, articleId);
  })();
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-passages-'));
await migrate(dataDir);
const raw = openRaw(dataDir);
const authors = ['Ann', 'Ben', 'Cat', 'Dev', 'Eve'].map((name) => addReader(raw, name).userId);
const plainId = addStory(raw, 'plain');
const quotedId = addStory(raw, 'quoted');
addComments(raw, plainId, authors, false);
addComments(raw, quotedId, authors, true);
const reader = addReader(raw, 'Reader');
// A reader with a held comment under both stories: their page is theirs alone, rendered every time.
const personal = addReader(raw, 'Held');
for (const id of [plainId, quotedId]) {
  raw.prepare(`insert into comments (article_id, author_id, depth, path, body, body_html, created_at, status) values (?, ?, 0, '', 'Held for review.', '<p>Held for review.</p>', ?, 'held')`).run(id, personal.userId, new Date().toISOString());
}
raw.close();

const parley = await startParley(3990, { SQLITE_SYNCHRONOUS: 'FULL', PARLEY_SEED_EXAMPLE: '0', LOG_LEVEL: 'warn' }, dataDir);
try {
  const results: Record<string, number> = {};
  for (const [who, token] of [['signed-in reader', reader.token], ['reader with a held comment', personal.token]] as const) {
    const headers = { cookie: `parley_session=${token}`, accept: 'text/html' };
    const urls = { plain: `${parley.url}/articles/plain`, quoted: `${parley.url}/articles/quoted` };
    for (const [name, url] of Object.entries(urls)) {
      const res = await fetch(url, { headers });
      const html = await res.text();
      const quotes = (html.match(/class="comment__passage"/g) ?? []).length;
      const margins = (html.match(/data-passage-count=/g) ?? []).length;
      if (res.status !== 200) throw new Error(`${who}: ${url} answered ${res.status}`);
      if (name === 'quoted' && (quotes === 0 || margins !== PARAGRAPHS.length)) throw new Error(`${who}: ${url} shows ${quotes} quotes and ${margins} margin counts`);
      console.log(`${who}, ${name}: ${Buffer.byteLength(html)} bytes of HTML, ${quotes} quotes, ${margins} margin counts`);
    }
    await load(urls.plain, { connections: CONNECTIONS, durationSeconds: 1, headers });
    await load(urls.quoted, { connections: CONNECTIONS, durationSeconds: 1, headers });
    // Server CPU per page beside throughput: on a busy machine it moves much less.
    const cpu = { plain: { seconds: 0, pages: 0 }, quoted: { seconds: 0, pages: 0 } };
    const measured = (name: keyof typeof cpu) => async () => {
      const before = parley.cpuSeconds();
      const result = await load(urls[name], { connections: CONNECTIONS, durationSeconds: SECONDS, headers });
      const after = parley.cpuSeconds();
      if (before !== null && after !== null) {
        cpu[name].seconds += after - before;
        cpu[name].pages += result.total;
      }
      return result;
    };
    const { ratio } = await alternate(`article page, ${who}: 500 passage comments vs none`, { name: 'without passages', run: measured('plain') }, { name: 'with 500 passage comments', run: measured('quoted') }, 5);
    const perPage = (name: keyof typeof cpu) => (cpu[name].pages ? (cpu[name].seconds / cpu[name].pages) * 1e6 : Number.NaN);
    console.log(`server CPU per page, ${who}: without ${perPage('plain').toFixed(0)} µs, with passages ${perPage('quoted').toFixed(0)} µs (ratio ${(perPage('plain') / perPage('quoted')).toFixed(2)})`);
    results[who] = ratio;
  }
  const worst = Math.min(...Object.values(results));
  console.log(
    `RESULT passages ratio=${results['signed-in reader']!.toFixed(2)} personal-ratio=${results['reader with a held comment']!.toFixed(2)} target ratio>=0.9 ${worst >= 0.9 ? 'MET' : 'MISSED'}`,
  );
} finally {
  await parley.stop();
}
