import { sql, type Transaction } from 'kysely';
import { ancestorIds } from '../comments/model.ts';
import type { Database } from '../db/schema.ts';
import { pieces } from './row-inserts.ts';

// The reply counts (descendant_count) an import changes, kept by the rule of movePlaces
// (comments/thread-places.ts): a readable reply counts for each of its ancestors, and an ancestor without a
// place of its own (deleted, held, rejected) takes one with its first counted reply, and so on upwards.
//
// A reply's ancestors written in the same batch are counted in memory before their rows are written.
// The others, written by earlier batches, would be updated batch after batch: a thread's first comment
// once per batch that holds a reply anywhere below it, each time rewriting its row and an index entry
// (most of an import's writes, for long threads spread over the file). Their increments are summed
// instead (LaterPlaces) and written once, at the end of the run (settle). An import only adds places, so
// the order in which the sums are applied does not change the result. A run killed before settling
// leaves those counts short; the next run of the file finds comments already imported and counts the
// replies of its conversations again from the rows (recountPlaces), so it ends with every count right.

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

/** Increments of the reply counts of comments already written, by id, waiting to be written. */
export type LaterPlaces = Map<number, number>;

/** Counts the batch's places into its own comments, and into `later` for the comments written before it. */
export function moveBatchPlaces(changes: PlaceChange[], batch: Map<number, BatchComment>, later: LaterPlaces): void {
  let pending = changes;
  while (pending.length > 0) {
    const deltas = new Map<number, number>();
    for (const change of pending) for (const id of ancestorIds(change)) deltas.set(id, (deltas.get(id) ?? 0) + change.delta);
    pending = [];
    for (const [id, delta] of deltas) {
      if (delta === 0) continue;
      const own = batch.get(id);
      if (!own) {
        // Written earlier: its ancestors are too, so whatever place it gains is settled with them.
        later.set(id, (later.get(id) ?? 0) + delta);
        continue;
      }
      const was = own.descendantCount > 0;
      own.descendantCount += delta;
      const is = own.descendantCount > 0;
      if (!own.readable && was !== is) pending.push({ rootId: own.rootId, path: own.path, delta: is ? 1 : -1 });
    }
  }
}

/**
 * Writes the increments kept in `later` (and the places they give to ancestors without one), then
 * forgets them. Answers the articles whose comments changed.
 */
export async function settlePlaces(db: Transaction<Database>, later: LaterPlaces): Promise<Set<number>> {
  const articles = new Set<number>();
  let deltas = new Map(later);
  later.clear();
  while (deltas.size > 0) {
    const pending: PlaceChange[] = [];
    // In the order of the rows on disk: each page is read and rewritten once, not once per comment on it.
    const written = [...deltas].filter(([, delta]) => delta !== 0).sort((x, y) => x[0] - y[0]);
    for (const piece of pieces(written)) {
      // cast: PostgreSQL cannot tell a CASE's type from parameters alone.
      const { rows } = await sql<{ id: number; article_id: number; root_id: number | null; path: string; status: string; deleted_at: string | null; descendant_count: number }>`
        update comments set descendant_count = descendant_count + case id ${sql.join(
          piece.map(([id, delta]) => sql`when ${id} then cast(${delta} as integer)`),
          sql` `,
        )} end
        where id in (${sql.join(piece.map(([id]) => id))})
        returning id, article_id, root_id, path, status, deleted_at, descendant_count`.execute(db);
      for (const row of rows) {
        articles.add(Number(row.article_id));
        if (row.status === 'approved' && row.deleted_at === null) continue;
        const is = Number(row.descendant_count) > 0;
        const was = Number(row.descendant_count) - deltas.get(Number(row.id))! > 0;
        if (was !== is) pending.push({ rootId: row.root_id === null ? null : Number(row.root_id), path: row.path, delta: is ? 1 : -1 });
      }
    }
    deltas = new Map();
    for (const change of pending) for (const id of ancestorIds(change)) deltas.set(id, (deltas.get(id) ?? 0) + change.delta);
  }
  return articles;
}

/**
 * Sets the reply counts of every comment of these articles from the rows themselves: what an
 * interrupted run left short is made right. Changes nothing where the counts are already right, and
 * answers the articles whose comments changed.
 */
export async function recountPlaces(db: Transaction<Database>, dialect: 'sqlite' | 'postgres', articleIds: number[]): Promise<Set<number>> {
  const articles = new Set<number>();
  for (const piece of pieces(articleIds)) {
    let query = db
      .selectFrom('comments')
      .select(['id', 'article_id', 'parent_id', 'depth', 'status', 'deleted_at', 'descendant_count'])
      .where('article_id', 'in', piece)
      .orderBy('depth', 'desc');
    // A reply posted meanwhile waits for this count rather than being lost in it.
    if (dialect === 'postgres') query = query.forUpdate();
    const rows = await query.execute();
    const below = new Map<number, number>();
    const changed: [number, number][] = [];
    // Deepest first: a comment's replies are all counted before it is.
    for (const row of rows) {
      const id = Number(row.id);
      const count = below.get(id) ?? 0;
      if (count !== Number(row.descendant_count)) {
        changed.push([id, count]);
        articles.add(Number(row.article_id));
      }
      const place = (row.status === 'approved' && row.deleted_at === null) || count > 0 ? 1 : 0;
      if (row.parent_id !== null) below.set(Number(row.parent_id), (below.get(Number(row.parent_id)) ?? 0) + count + place);
    }
    for (const part of pieces(changed)) {
      await sql`
        update comments set descendant_count = case id ${sql.join(
          part.map(([id, count]) => sql`when ${id} then cast(${count} as integer)`),
          sql` `,
        )} end
        where id in (${sql.join(part.map(([id]) => id))})`.execute(db);
    }
  }
  return articles;
}
