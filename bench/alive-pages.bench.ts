// Issue 17 §3 / issue 14: the front page (with "Most discussed" and "Active now") and the article page
// (with "Also being discussed") must not get more than 5 % slower. Two servers side by side in one run,
// alternating rounds: this tree, and the tree at BENCH_BEFORE_ROOT (a checkout without the feature,
// e.g. `git archive <commit> | tar -x -C /tmp/before` with node_modules and dist linked in). Each
// server migrates its own data folder; both get the same 30 articles with 10 comments each (so the
// boxes have something to show) and a signed-in reader, whose pages are rendered for every request
// (an anonymous reader's come from the page cache, which is measured too).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addArticle, addConversation, addReader, openRaw } from './comments-fixtures.ts';
import { alternate, load, ROOT } from './lib.ts';

const CONNECTIONS = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const BEFORE = process.env.BENCH_BEFORE_ROOT;
if (!BEFORE) {
  // A comparison with another tree, so `npm run bench` passes it by rather than failing the whole run.
  console.log('skipped: set BENCH_BEFORE_ROOT to a checkout of the tree to compare with (see the comment at the top of this file)');
  process.exit(0);
}

function run(root: string, args: string[], env: Record<string, string>) {
  return spawn(process.execPath, [path.join(root, 'bin', 'parley.js'), ...args], { cwd: root, stdio: 'inherit', env: { ...process.env, LOG_LEVEL: 'warn', PARLEY_SEED_EXAMPLE: '0', ...env } });
}

async function prepare(root: string, port: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-alive-'));
  await new Promise<void>((resolve, reject) => run(root, ['migrate'], { DATA_DIR: dataDir }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`migrate in ${root} exited ${code}`)))));
  const raw = openRaw(dataDir);
  const authors = ['Ann', 'Ben', 'Cat'].map((n) => addReader(raw, n).userId);
  const viewer = addReader(raw, 'Viewer');
  let slug = '';
  for (let i = 0; i < 30; i++) {
    slug = `story-${i}`;
    const id = addArticle(raw, slug);
    addConversation(raw, id, authors, 10, 5);
    raw.prepare('update articles set comment_count = 10 where id = ?').run(id);
  }
  raw.close();
  const child = run(root, ['serve'], { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SQLITE_SYNCHRONOUS: 'FULL' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (await fetch(`${url}/healthz`).then((r) => r.ok).catch(() => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    slug,
    cookie: `parley_session=${viewer.token}`,
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }).then(() => fs.rmSync(dataDir, { recursive: true, force: true })),
  };
}

const before = await prepare(BEFORE, 3993);
const after = await prepare(ROOT, 3994);
try {
  const cases = [
    { name: 'front page, signed in', path: () => '/', signedIn: true },
    { name: 'article page, signed in', path: (s: typeof before) => `/articles/${s.slug}`, signedIn: true },
    { name: 'front page, anonymous', path: () => '/', signedIn: false },
    { name: 'article page, anonymous', path: (s: typeof before) => `/articles/${s.slug}`, signedIn: false },
  ];
  const results: string[] = [];
  for (const c of cases) {
    const target = (s: typeof before) => ({
      url: `${s.url}${c.path(s)}`,
      headers: { accept: 'text/html', ...(c.signedIn ? { cookie: s.cookie } : {}) },
    });
    for (const s of [before, after]) {
      const t = target(s);
      const res = await fetch(t.url, { headers: t.headers });
      if (res.status !== 200) throw new Error(`${t.url} answered ${res.status}`);
      await load(t.url, { connections: CONNECTIONS, durationSeconds: 1, headers: t.headers });
    }
    const { ratio } = await alternate(
      c.name,
      { name: 'before', run: () => load(target(before).url, { connections: CONNECTIONS, durationSeconds: SECONDS, headers: target(before).headers }) },
      { name: 'after', run: () => load(target(after).url, { connections: CONNECTIONS, durationSeconds: SECONDS, headers: target(after).headers }) },
    );
    results.push(`${c.name} ${ratio.toFixed(3)}`);
  }
  console.log(`RESULT alive-pages after/before: ${results.join(', ')} (target >= 0.95 each)`);
} finally {
  await before.stop();
  await after.stop();
}
