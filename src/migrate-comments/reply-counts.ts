import { sql, type Transaction } from 'kysely';
import { ancestorIds } from '../comments/model.ts';
import type { Database } from '../db/schema.ts';
import { pieces } from './row-inserts.ts';

// The reply counts (descendant_count) a batch of imported comments changes, kept by the rule of
// movePlaces (comments/store.ts): a readable reply counts for each of its ancestors, and an ancestor
// without a place of its own (deleted, held, rejected) takes one with its first counted reply, and so
// on upwards. movePlaces reads and updates every ancestor after the rows are written; here the
// ancestors written in the same batch are counted in memory before their rows are written (most of a
// thread's replies come in the batch of their parent), and the others, written earlier, are updated
// with one statement per 64 of them (each adding its own sum), which also returns what the rule needs.

/** A comment of the batch, not yet written: its count is set here. */
export interface BatchComment {
  rootId: number | null;
  path: string;
  readable: boolean;
  descendantCount: number;
}

/** A comment gained (+1) or lost (-1) its place in its thread. */
export interface PlaceChange {
  rootId: number | null;
  path: string;
  delta: number;
}

export async function moveBatchPlaces(db: Transaction<Database>, changes: PlaceChange[], batch: Map<number, BatchComment>): Promise<void> {
  let pending = changes;
  while (pending.length > 0) {
    const deltas = new Map<number, number>();
    for (const change of pending) for (const id of ancestorIds(change)) deltas.set(id, (deltas.get(id) ?? 0) + change.delta);
    pending = [];
    const written: [number, number][] = [];
    for (const [id, delta] of deltas) {
      if (delta === 0) continue;
      const own = batch.get(id);
      if (!own) {
        written.push([id, delta]);
        continue;
      }
      const was = own.descendantCount > 0;
      own.descendantCount += delta;
      const is = own.descendantCount > 0;
      if (!own.readable && was !== is) pending.push({ rootId: own.rootId, path: own.path, delta: is ? 1 : -1 });
    }
    for (const piece of pieces(written)) {
      // cast: PostgreSQL cannot tell a CASE's type from parameters alone.
      const { rows } = await sql<{ id: number; root_id: number | null; path: string; status: string; deleted_at: string | null; descendant_count: number }>`
        update comments set descendant_count = descendant_count + case id ${sql.join(
          piece.map(([id, delta]) => sql`when ${id} then cast(${delta} as integer)`),
          sql` `,
        )} end
        where id in (${sql.join(piece.map(([id]) => id))})
        returning id, root_id, path, status, deleted_at, descendant_count`.execute(db);
      for (const row of rows) {
        if (row.status === 'approved' && row.deleted_at === null) continue;
        const is = Number(row.descendant_count) > 0;
        const was = Number(row.descendant_count) - deltas.get(Number(row.id))! > 0;
        if (was !== is) pending.push({ rootId: row.root_id === null ? null : Number(row.root_id), path: row.path, delta: is ? 1 : -1 });
      }
    }
  }
}
