// Issue 15: importing a generated Disqus export of 100,000 comments (~200 MB) into SQLite
// (synchronous=NORMAL, as `parley import-comments` runs beside a server), in comments per second,
// against raw better-sqlite3 inserting the same rows in one transaction, in the same run; and the
// process's peak RSS (target: under 300 MB, whatever the file's size). Target ratio ≥ 0.3. The file is
// read once; bodies are converted on the main thread, the importer's default (BENCH_IMPORT_THREADS=1:
// on a worker thread).
// BENCH_IMPORT_POSTS=10000 for a quicker run. V8 lets its heap grow while there is room, so the peak RSS
// of this process says little; then the same file is imported by `parley import-comments` as people run
// it (with its heap ceiling, bin/parley.js), and that process's peak RSS is the figure for the target;
// its rate is held against raw inserts run again right after it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { closeContext, openContext } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { importComments } from '../src/migrate-comments/importer.ts';
import { createSite } from '../src/sites/store.ts';
import { writeDisqusExport } from '../test/migrate-comments/disqus-generator.ts';
import { childPids, peakRssMb, ROOT } from './lib.ts';

const POSTS = Number(process.env.BENCH_IMPORT_POSTS ?? 100_000);
/** Threads converting bodies (the importer's default, 0, converts on the main thread). */
const THREADS = process.env.BENCH_IMPORT_THREADS === undefined ? undefined : Number(process.env.BENCH_IMPORT_THREADS);
/** Comments written per transaction (the importer's default when unset). */
const BATCH = process.env.BENCH_IMPORT_BATCH === undefined ? undefined : Number(process.env.BENCH_IMPORT_BATCH);
const cpuTotal = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-import-'));
const file = path.join(dir, 'disqus.xml');
try {
  const { bytes } = await writeDisqusExport(file, { threads: Math.max(10, Math.round(POSTS / 100)), posts: POSTS, bytesPerPost: 1_800 });
  console.log(`generated ${POSTS.toLocaleString('en')} comments, ${(bytes / 1048576).toFixed(0)} MB`);

  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PARLEY_SEED_EXAMPLE: '0', SQLITE_SYNCHRONOUS: 'NORMAL', PUBLIC_URL: 'http://parley.test', DATABASE_URL: '' });
  const ctx = await openContext(config);
  let imported = 0;
  let seconds = 0;
  let cpuSeconds = 0;
  try {
    const site = await createSite(ctx, { key: 'bench', name: 'Bench', origins: ['https://news.example.com'] });
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const summary = await importComments(ctx, { source: 'disqus', file, site, conversionThreads: THREADS, batchSize: BATCH });
    seconds = (performance.now() - started) / 1000;
    cpuSeconds = cpuTotal(process.cpuUsage(cpuBefore));
    imported = summary.comments.imported;
    console.log(`import: ${imported.toLocaleString('en')} comments in ${seconds.toFixed(1)} s (one pass), ${Math.round(imported / seconds).toLocaleString('en')} comments/s; CPU ${cpuSeconds.toFixed(1)} s (all threads), ${Math.round(imported / cpuSeconds).toLocaleString('en')} comments per CPU second`);
  } finally {
    await closeContext(ctx);
  }
  const ownPeakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`peak RSS of this process so far: ${ownPeakRssMb.toFixed(0)} MB`);

  const yardstick = rawInserts(path.join(dataDir, 'parley.db'), path.join(dir, 'raw.db'));
  const rawRate = yardstick.rows / yardstick.seconds;
  console.log(`raw inserts of the same rows, one transaction: ${yardstick.rows.toLocaleString('en')} in ${yardstick.seconds.toFixed(2)} s, ${Math.round(rawRate).toLocaleString('en')} rows/s`);
  const ratio = imported / seconds / rawRate;
  // On a shared machine the wall clock also counts other processes' turns; CPU time counts only ours.
  const cpuRatio = imported / cpuSeconds / (yardstick.rows / yardstick.cpuSeconds);
  console.log(`ratio import / raw: ${ratio.toFixed(3)} by the clock, ${cpuRatio.toFixed(3)} by CPU time (target ≥ 0.3); load average ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(`peak RSS of this process: ${ownPeakRssMb.toFixed(0)} MB`);
  await commandRun(path.join(dataDir, 'parley.db'));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * The yardstick: the very rows the import wrote (read from `sourceFile`), inserted with raw
 * better-sqlite3 in one transaction into the comments table as Parley defines it (its indexes included:
 * storing them is the database's own cost of these rows, which no importer can avoid; what is compared
 * is everything else).
 */
function rawInserts(sourceFile: string, targetFile: string): { rows: number; seconds: number; cpuSeconds: number } {
  const source = new SqliteDatabase(sourceFile, { readonly: true });
  const raw = new SqliteDatabase(targetFile);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  const schema = source.prepare("select sql from sqlite_master where tbl_name = 'comments' and sql is not null order by type = 'table' desc").pluck().all() as string[];
  // Foreign keys are off in the yardstick (the tables they name are not there); the importer pays for its own.
  raw.pragma('foreign_keys = OFF');
  for (const sql of schema) raw.exec(sql);
  const insert = raw.prepare('insert into comments (article_id, author_id, parent_id, root_id, depth, path, body, body_html, created_at, status) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const rows = source.prepare('select article_id, author_id, parent_id, root_id, depth, path, body, body_html, created_at, status from comments order by id').raw();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let count = 0;
  raw.transaction(() => {
    for (const row of rows.iterate()) {
      insert.run(...(row as unknown[]));
      count++;
    }
  })();
  const result = { rows: count, seconds: (performance.now() - started) / 1000, cpuSeconds: cpuTotal(process.cpuUsage(cpuBefore)) };
  source.close();
  raw.close();
  fs.rmSync(targetFile, { force: true });
  return result;
}

/** The same file imported by the command, into a database of its own: its time (against the raw rate) and the importing process's peak RSS. */
async function commandRun(importedFile: string): Promise<void> {
  const env = { ...process.env, DATA_DIR: path.join(dir, 'command-data'), LOG_LEVEL: 'silent', PARLEY_SEED_EXAMPLE: '0', SQLITE_SYNCHRONOUS: 'NORMAL', PUBLIC_URL: 'http://parley.test', DATABASE_URL: '' };
  const parley = path.join(ROOT, 'bin', 'parley.js');
  const created = spawnSync(process.execPath, [parley, 'site', 'create', '--key', 'bench', '--name', 'Bench', '--origin', 'https://news.example.com'], { env, encoding: 'utf8' });
  if (created.status !== 0) throw new Error(`parley site create: ${created.stderr}`);
  const started = performance.now();
  const launcher = spawn(process.execPath, [parley, 'import-comments', '--from', 'disqus', '--site', 'bench', file], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  // Its progress lines go to standard error; they are shown only if it fails.
  let errors = '';
  launcher.stderr!.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => launcher.on('exit', resolve));
  // VmHWM only grows, so the last reading before the process ends is its peak (within the 100 ms between readings).
  let importerPeak = 0;
  let launcherPeak = 0;
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    launcherPeak = Math.max(launcherPeak, peakRssMb(launcher.pid!) || 0);
    for (const child of childPids(launcher.pid!)) importerPeak = Math.max(importerPeak, peakRssMb(child) || 0);
    await new Promise((r) => setTimeout(r, 100));
  }
  const code = await exited;
  if (code !== 0) throw new Error(`parley import-comments exited with ${code}: ${errors}`);
  const seconds = (performance.now() - started) / 1000;
  // Its time includes starting the command and finishing the database as it ends (the raw inserts' close is not timed).
  // The machine's speed drifts over a minute (a shared host), so the command is held against raw inserts
  // run right after it rather than those of a minute before.
  const yardstick = rawInserts(importedFile, path.join(dir, 'raw-beside-command.db'));
  const rawRate = yardstick.rows / yardstick.seconds;
  console.log(`raw inserts again, right after the command: ${yardstick.seconds.toFixed(2)} s, ${Math.round(rawRate).toLocaleString('en')} rows/s`);
  console.log(`\`parley import-comments\`: ${POSTS.toLocaleString('en')} comments in ${seconds.toFixed(1)} s, ${Math.round(POSTS / seconds).toLocaleString('en')} comments/s (${(POSTS / seconds / rawRate).toFixed(3)} of the raw rate beside it, start-up included); peak RSS of the importing process ${importerPeak.toFixed(0)} MB (target < 300 MB), of the launcher ${launcherPeak.toFixed(0)} MB`);
}
