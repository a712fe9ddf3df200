import { sql } from 'kysely';
import { runCommand, type CommandContext, type Tx } from './command.ts';
import { CommitFeed } from './commit-feed.ts';
import { eventFromCommit, lastEventId, readEventsAfter, type StoredEvent } from './outbox.ts';
import { SerialPump } from './serial-pump.ts';

// A durable subscriber: a named reader of the events table that remembers the last event it handled
// (subscriber_positions) and resumes after it — after a crash, a restart or a missed wake-up.
//
// The events of one read are handled in one transaction together with the move of the position, so
// the handler's database writes happen exactly once per event: either both commit or neither does.
// (Outside effects belong in jobs, enqueued through `tx`, which inherit the same guarantee.)
// The position row is locked and compared first, so two processes running the same subscriber never
// handle one event twice: the second finds the position moved and skips ahead.
// A handler error rolls back and stops the subscriber AT that event: it is retried on the next wake
// or after a back-off, never skipped, so order holds. The error is kept on the position row.

export interface SubscriberOptions {
  /** Unique and stable: it keys the stored position. */
  name: string;
  /** Only these event types reach the handler (the position still moves past the others). */
  types?: string[];
  handle(event: StoredEvent, tx: Tx): Promise<void>;
  /** Where a subscriber that has never run starts: the first event, or the newest at its first start. */
  startFrom?: 'beginning' | 'now';
  /** Events handled in one transaction (one fsync on SQLite); a failing batch is retried one by one. */
  batchSize?: number;
  /** How many events of other types may pile up before the position is moved over them alone. */
  skipAfter?: number;
  /** Look at the table at least this often, even without a wake-up (other processes on SQLite). */
  pollMs?: number;
  /** First wait after a handler error; doubles with each consecutive error, up to 5 minutes. */
  retryMs?: number;
  log?: { error(obj: unknown, msg?: string): void };
}

/** Events of this subscriber's types after its cursor; `head`: no event at or below it can still appear. */
interface NewEvents {
  head: number;
  events: StoredEvent[];
  /** All of them up to `head` (not cut at a batch). */
  complete: boolean;
}

class PositionMoved extends Error {
  constructor() {
    super('another process moved this subscriber on');
  }
}

const MAX_RETRY_MS = 5 * 60_000;

/**
 * The newest event id, one read shared by the subscribers that ask while it is in flight: every
 * commit wakes them all at once, and each read it first. A value read before one's call is still a
 * safe `head` (it only says that nothing at or below it can still appear), so sharing it loses nothing.
 */
const headsInFlight = new WeakMap<object, Promise<number>>();

function sharedLastEventId(db: CommandContext['db']['kysely']): Promise<number> {
  let head = headsInFlight.get(db);
  if (!head) {
    head = lastEventId(db).finally(() => headsInFlight.delete(db));
    headsInFlight.set(db, head);
  }
  return head;
}

export class DurableSubscriber {
  private readonly opts: Required<Omit<SubscriberOptions, 'types' | 'log'>> & Pick<SubscriberOptions, 'types' | 'log'>;
  private readonly pump = new SerialPump(
    () => this.handleNewEvents(),
    (error, again) => {
      if (error) {
        this.errors++;
        this.opts.log?.error({ err: error, subscriber: this.opts.name }, 'subscriber stopped at an event; it will retry');
      } else {
        this.errors = 0;
      }
      // After an error, retries wait for the back-off timer, not for the next commit.
      if (again && this.errors === 0) return true;
      const delay = this.errors === 0 ? this.opts.pollMs : Math.min(MAX_RETRY_MS, this.opts.retryMs * 2 ** (this.errors - 1));
      this.sleep(delay);
      return false;
    },
  );
  private stopped = true;
  private errors = 0;
  /** The position as this instance last wrote or read it; a twin's move shows up as PositionMoved. */
  private known: number | null = null;
  /**
   * Up to here the table holds no event of this subscriber's types after its position (read, found
   * none). The position stays behind such events until they are many (skipAfter), and reading them
   * again after every commit of the site was most of a subscriber's work: the next read starts here.
   */
  private scanned = 0;
  private unsubscribe: (() => void) | null = null;
  private readonly feed = new CommitFeed();

  constructor(
    private readonly ctx: CommandContext,
    options: SubscriberOptions,
  ) {
    this.opts = { startFrom: 'now', batchSize: 200, skipAfter: 1000, pollMs: 10_000, retryMs: 2_000, ...options };
  }

  get name(): string {
    return this.opts.name;
  }

  /** Creates the position on first run, then handles whatever is waiting. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    const db = this.ctx.db.kysely;
    const initial = this.opts.startFrom === 'now' ? await lastEventId(db) : 0;
    await db
      .insertInto('subscriber_positions')
      .values({ name: this.opts.name, last_event_id: initial, updated_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    this.stopped = false;
    this.known = null;
    this.scanned = 0;
    this.feed.forget();
    // While backing off after an error, commits do not trigger retries; the timer does.
    this.unsubscribe = this.feed.follow(this.ctx.bus, () => {
      if (this.errors === 0) this.wake();
    });
    this.wake();
  }

  wake(): void {
    if (this.stopped) return;
    this.pump.request();
  }

  private sleep(ms: number): void {
    if (!this.stopped) this.pump.requestAfter(ms);
  }

  async position(): Promise<number> {
    const row = await this.ctx.db.kysely.selectFrom('subscriber_positions').select('last_event_id').where('name', '=', this.opts.name).executeTakeFirst();
    return Number(row?.last_event_id ?? 0);
  }

  private async handleNewEvents(): Promise<void> {
    try {
      await this.handleNewEventsOnce();
    } catch (error) {
      // The retry must find the events again: they are read from the table.
      this.feed.forget();
      throw error;
    }
  }

  private async handleNewEventsOnce(): Promise<void> {
    let position = this.known ?? (await this.position());
    // The notices tell what committed since the last wake-up; once used, the table tells the rest.
    let notices = true;
    while (!this.stopped) {
      const from = Math.max(position, this.scanned);
      const { head, events, complete } = (notices ? this.committedAfter(from) : null) ?? (await this.readAfter(from));
      notices = false;
      if (events.length === 0) {
        // Only events of other types since the position. Moving past them is a write (an fsync on
        // SQLite) after every commit of the site, so it waits until they are many; meanwhile the read
        // above filters them out, and the next handled batch moves past them for free.
        if (head - position >= this.opts.skipAfter && !(await this.moveOver(position, head))) {
          position = await this.position();
          continue;
        }
        this.known = head - position >= this.opts.skipAfter ? head : position;
        this.scanned = head;
        return;
      }
      const target = complete ? Math.max(head, events.at(-1)!.id) : events.at(-1)!.id;
      try {
        await this.handleBatch(events, position, target);
        position = target;
      } catch (error) {
        if (!(error instanceof PositionMoved) && events.length === 1) {
          this.known = null;
          await this.recordError(error);
          throw error;
        } else if (!(error instanceof PositionMoved)) {
          // The whole batch rolled back. One event at a time now: those before the failing one
          // commit, and the subscriber stops AT it, with its error recorded.
          position = await this.handleOneByOne(events, position);
        } else {
          // A twin handled these: read again from where it stands (never skip ahead on our own).
          position = await this.position();
        }
        continue;
      }
      this.known = position;
      if (complete) return;
    }
  }

  /** The events of this process's commits since `from` (commit-feed.ts), when they are all known and fit a batch. */
  private committedAfter(from: number): NewEvents | null {
    const committed = this.feed.take(from);
    if (!committed) return null;
    const types = this.opts.types;
    const mine = types ? committed.filter((event) => types.includes(event.type)) : committed;
    // More than a batch: the table is read, a batch at a time.
    if (mine.length > this.opts.batchSize) return null;
    return { head: committed.at(-1)?.id ?? from, events: mine.map(eventFromCommit), complete: true };
  }

  private async readAfter(from: number): Promise<NewEvents> {
    const db = this.ctx.db.kysely;
    // Read before the events: on both dialects every id up to a visible one is settled (outbox.ts),
    // so when this batch is the last, nothing at or below `head` can still appear.
    const head = await sharedLastEventId(db);
    const events = await readEventsAfter(db, from, { types: this.opts.types, limit: this.opts.batchSize });
    return { head, events, complete: events.length < this.opts.batchSize };
  }

  private async handleOneByOne(events: StoredEvent[], position: number): Promise<number> {
    for (const event of events) {
      if (this.stopped) break;
      try {
        await this.handleBatch([event], position, event.id);
        position = event.id;
        this.known = position;
      } catch (error) {
        if (error instanceof PositionMoved) return this.position();
        this.known = null;
        await this.recordError(error);
        throw error;
      }
    }
    return position;
  }

  /** Moves the position over events that are not ours; false when a twin moved it meanwhile. */
  private async moveOver(from: number, to: number): Promise<boolean> {
    const moved = await this.ctx.db.kysely
      .updateTable('subscriber_positions')
      .set({ last_event_id: to, updated_at: new Date().toISOString() })
      .where('name', '=', this.opts.name)
      .where('last_event_id', '=', from)
      .executeTakeFirst();
    return Number(moved.numUpdatedRows) > 0;
  }

  /** The events' handlers and the move of the position to `target`, in one transaction. */
  private async handleBatch(events: StoredEvent[], expected: number, target: number): Promise<void> {
    await runCommand(this.ctx, async (tx) => {
      // Claim the events first, with a write: it takes the row lock on PostgreSQL and the write lock on
      // SQLite before anything is read, so a twin in another process waits here, then finds it moved.
      const claimed = await tx.db
        .updateTable('subscriber_positions')
        .set({ last_event_id: target, last_error: null, error_count: 0, updated_at: new Date().toISOString() })
        .where('name', '=', this.opts.name)
        .where('last_event_id', '=', expected)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) throw new PositionMoved();
      for (const event of events) await this.opts.handle(event, tx);
    });
  }

  private async recordError(error: unknown): Promise<void> {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await this.ctx.db.kysely
      .updateTable('subscriber_positions')
      .set({ last_error: message.slice(0, 2000), error_count: sql`error_count + 1`, updated_at: new Date().toISOString() })
      .where('name', '=', this.opts.name)
      .execute()
      .catch(() => undefined);
  }

  /** Stops after the event in hand; the next start resumes after the last one committed. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.pump.stop();
  }
}
