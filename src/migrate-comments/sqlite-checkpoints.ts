import { sql } from 'kysely';
import type { AppContext } from '../context.ts';

/** Pages of write-ahead log between two checkpoints while an import runs (SQLite's default is 1,000). */
const IMPORT_CHECKPOINT_PAGES = 65_536;
/** SQLite's page cache while an import runs, in KiB (its default is 2,000). */
const IMPORT_CACHE_KIB = 32_768;

/**
 * SQLite copies the write-ahead log into the database (and syncs both) whenever the log passes 1,000
 * pages, about 4 MB: every few batches of an import. Spacing the checkpoints out while the import runs
 * (every 256 MB of log) writes the pages every batch touches again (indexes, reply counts of earlier
 * threads) far fewer times, with one sync where there were sixty; the log is checkpointed at the end.
 *
 * A batch touches most leaf pages of the comments' indexes (they lead with the article, and a large
 * file's batch holds comments of hundreds of articles). In SQLite's default cache of 2 MB, which a
 * batch's own rows fill many times over, those pages were read, changed, spilled and read again for
 * nearly every row; a 32 MB cache keeps them (a 100,000-comment import took a third less CPU time).
 *
 * Each multi-row insert of a batch after its first statement may fail half-way (a constraint), so
 * SQLite keeps a statement journal: the pages the statement changes, as they were before it. Past
 * 64 KB that journal goes to a temporary file, so every page an insert touched was written there
 * once more (about five writes a comment, half of an import's system calls); with temp_store =
 * memory it stays in memory (a few hundred KB: one statement's pages).
 *
 * The settings are the importer's connection's own: a server beside it keeps its own.
 */
export async function checkpointLess(ctx: AppContext): Promise<(() => Promise<void>) | null> {
  if (ctx.db.dialect !== 'sqlite') return null;
  const db = ctx.db.kysely;
  const [before] = (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db)).rows;
  const [cache] = (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows;
  const [temp] = (await sql<{ temp_store: number }>`pragma temp_store`.execute(db)).rows;
  await sql.raw(`pragma wal_autocheckpoint = ${IMPORT_CHECKPOINT_PAGES}`).execute(db);
  await sql.raw(`pragma cache_size = ${-IMPORT_CACHE_KIB}`).execute(db);
  await sql.raw('pragma temp_store = memory').execute(db);
  return async () => {
    await sql.raw(`pragma temp_store = ${Number(temp?.temp_store ?? 0)}`).execute(db);
    await sql.raw(`pragma cache_size = ${Number(cache?.cache_size ?? -2000)}`).execute(db);
    await sql.raw(`pragma wal_autocheckpoint = ${Number(before?.wal_autocheckpoint ?? 1000)}`).execute(db);
    await sql`pragma wal_checkpoint(passive)`.execute(db);
  };
}
