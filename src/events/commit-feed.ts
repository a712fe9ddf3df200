import type { CommitNotice, EventBus } from './bus.ts';
import type { CommittedEvent } from './outbox.ts';

// Every commit of the site woke each follower of the events table (the page cache, the durable
// subscribers, the live hub), and each read back, from the table, the events the commit had just
// written: four reads per commit. A commit of this process hands its events over in the bus's notice;
// a follower keeps the notices it has not yet taken, and takes from them the events after its cursor
// as long as they follow it without a gap. Whenever that cannot be told (a wake-up without a notice:
// PostgreSQL, another process, a reconnect, the follower's own poll or retry; a gap left by another
// process's commit; too many notices not taken), the follower reads the table as before.

/** How many commits' notices a follower keeps untaken before it reads the table instead. */
const MAX_PENDING = 256;

export class CommitFeed {
  private pending: CommittedEvent[][] = [];
  private unknown = false;

  constructor(private readonly maxPending = MAX_PENDING) {}

  /** Follows the bus: each wake-up's notice is kept, then `wake` is called. Answers the unsubscribe. */
  follow(bus: EventBus, wake: () => void): () => void {
    return bus.subscribe((notice) => {
      this.note(notice);
      wake();
    });
  }

  /** Called with each wake-up of the bus. */
  note(notice: CommitNotice | null): void {
    // A commit that appended no events says nothing the follower could check its cursor against.
    if (!notice || notice.events.length === 0 || this.pending.length >= this.maxPending) {
      this.unknown = true;
      this.pending = [];
      return;
    }
    if (!this.unknown) this.pending.push(notice.events);
  }

  /**
   * For a follower that failed to handle what it took (or read): its next take reads the table, since
   * the notices taken are gone.
   */
  forget(): void {
    this.note(null);
  }

  /**
   * The events after `cursor` that the notices hold, in order; [] when they hold nothing newer; null
   * when the table must be read, and so when no notice came since the last take: the follower was
   * woken by something else (its poll of other processes' commits, a retry). Either way the notices
   * so far are used up: a read made after this call sees every commit they came from.
   */
  take(cursor: number): CommittedEvent[] | null {
    const pending = this.pending;
    this.pending = [];
    if (this.unknown || pending.length === 0) {
      this.unknown = false;
      return null;
    }
    const events: CommittedEvent[] = [];
    for (const notice of pending) {
      for (const event of notice) {
        if (event.id <= cursor) continue;
        if (event.id !== cursor + 1) return null;
        events.push(event);
        cursor = event.id;
      }
    }
    return events;
  }
}
