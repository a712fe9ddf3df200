// Issue 19: the article page with 20 threads shown (60 comments on page 1, two replies each by default) for a signed-in reader who
// has reacted to some of them, follows one author and wrote one of them, against the same page for an
// anonymous reader (served from the page cache), alternating rounds in one run. The signed-in reader's
// browser runs the comments island (it sends the cookie the island sets, comments/viewer-json.ts), so
// the page carries their compact state; the page for a browser without JavaScript (every action merged
// in as a link) is measured too, for its size and server CPU. Also the server's RSS
// idle after start and after the load. Targets: ratio ≥ 0.25, signed-in HTML ≤ 40 KB, RSS idle ≤ 120 MB,
// after ≤ 200 MB.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alternate, load, rssMb, startParley } from './lib.ts';
import { addArticle, addConversation, addReader, migrate, openRaw } from './comments-fixtures.ts';

const CONNECTIONS = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-signed-in-'));
await migrate(dataDir);
const raw = openRaw(dataDir);
const articleId = addArticle(raw, 'busy');
const authors = ['Ann', 'Ben', 'Cat', 'Dev', 'Eve'].map((name) => addReader(raw, name).userId);
const viewer = addReader(raw, 'Viewer');
addConversation(raw, articleId, [...authors, viewer.userId], 1000, 20);
// What makes the page the viewer's own: reactions on page 1, a followed author, a followed conversation.
const now = new Date().toISOString();
const recent = raw.prepare('select id from comments where article_id = ? and author_id != ? order by id desc limit 40').all(articleId, viewer.userId) as { id: number }[];
for (const { id } of recent.filter((_, i) => i % 3 === 0)) raw.prepare('insert into comment_reactions (comment_id, user_id, created_at) values (?, ?, ?)').run(id, viewer.userId, now);
raw.prepare('insert into reader_follows (follower_id, followee_id, created_at) values (?, ?, ?)').run(viewer.userId, authors[0], now);
raw.prepare('insert into article_follows (user_id, article_id, created_at) values (?, ?, ?)').run(viewer.userId, articleId, now);
raw.close();

const parley = await startParley(3997, { SQLITE_SYNCHRONOUS: 'FULL', PARLEY_SEED_EXAMPLE: '0', LOG_LEVEL: 'warn' }, dataDir);
try {
  await new Promise((r) => setTimeout(r, 2000));
  const idleRss = rssMb(parley.pid);
  console.log(`RSS idle after start: ${idleRss.toFixed(0)} MB`);
  const url = `${parley.url}/articles/busy`;
  // The cookies a browser holds after its first page: without the CSRF secret's cookie every page would
  // make a new secret and set it again, which no returning reader costs.
  const csrf = await fetch(`${parley.url}/api/v1/auth/csrf`, { headers: { cookie: `parley_session=${viewer.token}` } });
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  if (!csrfCookie) throw new Error('no CSRF cookie from /api/v1/auth/csrf');
  const signedIn = { cookie: `parley_session=${viewer.token}; ${csrfCookie}; parley_js=1`, accept: 'text/html' };
  const noScript = { cookie: `parley_session=${viewer.token}; ${csrfCookie}`, accept: 'text/html' };
  const anonymous = { accept: 'text/html' };
  const sizes: Record<string, number> = {};
  for (const [who, headers] of [['signed-in', signedIn], ['signed-in without JavaScript', noScript], ['anonymous', anonymous]] as const) {
    const res = await fetch(url, { headers });
    const html = await res.text();
    const threads = (html.match(/data-thread=/g) ?? []).length;
    if (res.status !== 200 || threads < 20) throw new Error(`${who}: ${url} answered ${res.status} with ${threads} threads`);
    sizes[who] = Buffer.byteLength(html);
    console.log(`${who} article page: ${sizes[who]} bytes of HTML, ${threads} threads`);
  }
  await load(url, { connections: CONNECTIONS, durationSeconds: 1, headers: anonymous });
  await load(url, { connections: CONNECTIONS, durationSeconds: 1, headers: signedIn });
  // Server CPU per page beside throughput: on a busy machine the CPU figure moves much less.
  const cpu = { anonymous: { seconds: 0, pages: 0 }, 'signed in': { seconds: 0, pages: 0 }, 'without JavaScript': { seconds: 0, pages: 0 } };
  const measured = (who: keyof typeof cpu, headers: Record<string, string>) => async () => {
    const before = parley.cpuSeconds();
    const result = await load(url, { connections: CONNECTIONS, durationSeconds: SECONDS, headers });
    const after = parley.cpuSeconds();
    if (before !== null && after !== null) {
      cpu[who].seconds += after - before;
      cpu[who].pages += result.total;
    }
    return result;
  };
  const { ratio } = await alternate(
    'article page with 20 threads: signed in vs anonymous',
    { name: 'anonymous', run: measured('anonymous', anonymous) },
    { name: 'signed in', run: measured('signed in', signedIn) },
  );
  // One round of the page without JavaScript, for its CPU per page (not part of the ratio).
  const noScriptRound = await measured('without JavaScript', noScript)();
  console.log(`signed in without JavaScript: ${noScriptRound.requestsPerSecond.toFixed(0)} req/s`);
  const perPage = (who: keyof typeof cpu) => (cpu[who].pages ? (cpu[who].seconds / cpu[who].pages) * 1e6 : Number.NaN);
  console.log(`server CPU per page: anonymous ${perPage('anonymous').toFixed(0)} µs, signed in ${perPage('signed in').toFixed(0)} µs (ratio ${(perPage('anonymous') / perPage('signed in')).toFixed(2)}), signed in without JavaScript ${perPage('without JavaScript').toFixed(0)} µs`);
  const afterRss = rssMb(parley.pid);
  console.log(`RSS after the load: ${afterRss.toFixed(0)} MB`);
  const kb = sizes['signed-in']! / 1024;
  const met = ratio >= 0.25 && kb <= 40 && idleRss <= 120 && afterRss <= 200;
  console.log(
    `RESULT signed-in-page ratio=${ratio.toFixed(2)} html=${kb.toFixed(1)}KB rss-idle=${idleRss.toFixed(0)}MB rss-after=${afterRss.toFixed(0)}MB target ratio>=0.25 html<=40KB idle<=120MB after<=200MB ${met ? 'MET' : 'MISSED'}`,
  );
} finally {
  await parley.stop();
}
