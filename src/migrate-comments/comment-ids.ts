import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Hands out comment ids for rows about to be written, in this transaction, so that a reply's path is
 * known before its row is written. SQLite: the write lock is taken first, so nobody else can insert
 * until commit; PostgreSQL: ids are drawn from the sequence, 200 at a time.
 */
export function commentIds(db: Transaction<Database>, dialect: 'sqlite' | 'postgres'): () => number | Promise<number> {
  let next = 0;
  let last = -1;
  const reserved: number[] = [];
  const draw = async (): Promise<number> => {
    if (dialect === 'postgres') {
      const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('comments', 'id')) as id from generate_series(1, 200)`.execute(db);
      reserved.push(...rows.map((r) => Number(r.id)));
      return reserved.shift()!;
    }
    // An update of nothing still takes SQLite's write lock, so the maximum read next stays the maximum.
    await sql`update comments set id = id where 0`.execute(db);
    const { rows } = await sql<{ id: number }>`select max(coalesce((select max(id) from comments), 0), coalesce((select seq from sqlite_sequence where name = 'comments'), 0)) as id`.execute(db);
    next = Number(rows[0]!.id) + 1;
    last = 0;
    return next++;
  };
  // An id at hand is given at once (a number, not a promise: thousands a batch); only a draw waits.
  return () => {
    if (dialect === 'postgres') return reserved.length > 0 ? reserved.shift()! : draw();
    return last < 0 ? draw() : next++;
  };
}
