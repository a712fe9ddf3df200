// Issue 5: a comment by a reader with 10,000 followers must not slow that reader's POST, because
// notifications fan out after the commit (community/fanout.ts). One run, alternating POSTs by a
// reader with 10,000 followers and by one with none; target: p50 ratio ≤ 1.5. Also reports how long
// until all 10,000 notification rows of one comment exist.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NO_LOOP_SHEDDING, startParley } from './lib.ts';
import { addArticle, addReader, migrate, openRaw, setSetting } from './comments-fixtures.ts';

const FOLLOWERS = 10_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-notifications-'));
await migrate(dataDir);
const seed = openRaw(dataDir);
addArticle(seed, 'followed-here');
const star = addReader(seed, 'Star');
const loner = addReader(seed, 'Loner');
setSetting(seed, 'commentIntervalSeconds', 0);
// The spam model would hold these look-alike bench texts for review (no event, no fan-out to measure).
setSetting(seed, 'spamHoldThreshold', 1);
// Bulk: 10,000 readers who follow the star, in one transaction (not through the API).
seed.transaction(() => {
  const now = new Date().toISOString();
  const user = seed.prepare(`insert into users (email, email_verified_at, display_name, display_name_key, handle, bio, role, created_at, updated_at) values (?, ?, ?, ?, ?, '', 'reader', ?, ?)`);
  const follow = seed.prepare('insert into reader_follows (follower_id, followee_id, created_at) values (?, ?, ?)');
  for (let i = 0; i < FOLLOWERS; i++) {
    const handle = `fan-${i}`;
    const id = Number(user.run(`${handle}@bench.test`, now, `Fan ${i}`, handle, handle, now, now).lastInsertRowid);
    follow.run(id, star.userId, now);
  }
  seed.prepare('insert into reader_stats (user_id, follower_count) values (?, ?)').run(star.userId, FOLLOWERS);
})();

// The POSTs' latency and the fan-out are measured here, not admission: each of the star's comments
// gives the loop 10,000 notifications to write, and back-to-back POSTs keep it busy past the bound of
// load shedding's utilisation rule (src/ops), which then refuses them with 503, as it should on a
// saturated server; soak.bench.ts measures that.
const parley = await startParley(3995, { PARLEY_SEED_EXAMPLE: '0', LOG_LEVEL: 'warn', ...NO_LOOP_SHEDDING }, dataDir);
const url = `${parley.url}/api/v1/articles/followed-here/comments`;

async function poster(token: string) {
  const csrf = await fetch(`${parley.url}/api/v1/auth/csrf`, { headers: { cookie: `parley_session=${token}` } });
  const csrfToken = ((await csrf.json()) as { token: string }).token;
  const cookie = `parley_session=${token}; ${csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')}`;
  const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json', accept: 'application/json' };
  let n = 0;
  return async (): Promise<{ ms: number; id: number }> => {
    const started = performance.now();
    // Short on purpose: under 20 characters the repeated-text rule does not hold look-alike texts.
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ body: `Note ${n++} ${token.slice(0, 6)}` }) });
    const ms = performance.now() - started;
    if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
    return { ms, id: ((await res.json()) as { comment: { id: number } }).comment.id };
  };
}

const count = (commentId: number) => Number((seed.prepare('select count(*) as n from notifications where comment_id = ?').get(commentId) as { n: number }).n);
/** Waits for the comment's 10,000 notifications; a held comment (no fan-out) fails loudly instead of hanging. */
async function until(commentId: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (count(commentId) < FOLLOWERS) {
    if (Date.now() > deadline) {
      const position = {
        subscriber: seed.prepare("select last_event_id, last_error from subscriber_positions where name = 'community.notifications'").get(),
        statuses: seed.prepare('select status, count(*) as n from comments group by status').all(),
      };
      throw new Error(`comment ${commentId} has ${count(commentId)} notifications after 60 s; fan-out at ${JSON.stringify(position)}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  const byStar = await poster(star.token);
  const byLoner = await poster(loner.token);
  // Warm-up, and the fan-out's first run.
  await byLoner();
  const first = await byStar();
  await until(first.id);

  const starMs: number[] = [];
  const lonerMs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Alternating, and which goes first alternates too, so machine noise and the fan-out of the
    // previous comment weigh on both alike.
    if (i % 2 === 0) {
      starMs.push((await byStar()).ms);
      lonerMs.push((await byLoner()).ms);
    } else {
      lonerMs.push((await byLoner()).ms);
      starMs.push((await byStar()).ms);
    }
  }

  // Let the backlog drain, then time one comment's fan-out from its POST to the last row.
  const lastByStar = Number((seed.prepare('select max(id) as m from comments where author_id = ?').get(star.userId) as { m: number }).m);
  await until(lastByStar);
  await new Promise((r) => setTimeout(r, 500));
  const t0 = performance.now();
  const timed = await byStar();
  await until(timed.id);
  const fanoutMs = performance.now() - t0;

  const ratio = p50(starMs) / p50(lonerMs);
  console.log(`POST p50, reader with ${FOLLOWERS} followers: ${p50(starMs).toFixed(1)} ms (${ROUNDS} posts)`);
  console.log(`POST p50, reader with no followers:      ${p50(lonerMs).toFixed(1)} ms (${ROUNDS} posts)`);
  console.log(`time from POST until all ${FOLLOWERS} notifications exist: ${fanoutMs.toFixed(0)} ms`);
  console.log(`RESULT notifications ratio=${ratio.toFixed(2)} target<=1.5 ${ratio <= 1.5 ? 'MET' : 'MISSED'} fanout_ms=${fanoutMs.toFixed(0)}`);
} finally {
  seed.close();
  await parley.stop();
}
