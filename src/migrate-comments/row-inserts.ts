import { CompiledQuery, type Insertable, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

// An import writes its rows a few dozen at a time with one statement each. Kysely would build and
// compile each of those statements anew from row objects (a fifth of the writer's time); the text of
// an insert of n rows into given columns never changes, so it is made once and the values are passed
// as they are. The database keeps each text prepared (db/connection.ts), and pieces() keeps the texts
// few.

/**
 * A list cut into pieces of 64, then 32, 16 … 1: few statement shapes, so the database keeps a handful
 * of prepared statements rather than one per length met (each holds memory).
 */
export function pieces<T>(list: T[]): T[][] {
  const out: T[][] = [];
  let at = 0;
  for (let size = 64; size >= 1; size /= 2) {
    while (list.length - at >= size && (size === 64 || list.length - at < size * 2)) {
      out.push(list.slice(at, at + size));
      at += size;
    }
  }
  return out;
}


const texts = new Map<string, string>();

function insertText(dialect: 'sqlite' | 'postgres', table: string, columns: readonly string[], count: number): string {
  const key = `${dialect} ${table} ${columns.join(',')} ${count}`;
  let text = texts.get(key);
  if (!text) {
    let n = 0;
    const row = () => `(${columns.map(() => (dialect === 'postgres' ? `$${++n}` : '?')).join(', ')})`;
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${Array.from({ length: count }, row).join(', ')}`;
    texts.set(key, text);
  }
  return text;
}

/** Inserts the rows, in their order, a piece at a time; every row gives `columns` (a missing value is null). */
export async function insertRows<T extends keyof Database & string>(
  db: Transaction<Database>,
  dialect: 'sqlite' | 'postgres',
  table: T,
  columns: readonly (keyof Insertable<Database[T]> & string)[],
  rows: Insertable<Database[T]>[],
): Promise<void> {
  for (const piece of pieces(rows)) {
    const values: unknown[] = [];
    for (const row of piece) for (const column of columns) values.push((row as Record<string, unknown>)[column] ?? null);
    await db.executeQuery(CompiledQuery.raw(insertText(dialect, table, columns, piece.length), values));
  }
}
