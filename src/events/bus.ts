import type pg from 'pg';
import { EVENTS_CHANNEL, type CommittedEvent } from './outbox.ts';

/**
 * What a commit of this process wrote, when it knows (on SQLite): the followers of the events table
 * in this process take these events from here instead of reading them back (events/commit-feed.ts).
 */
export interface CommitNotice {
  /** The events it appended, in order, with consecutive ids. */
  events: CommittedEvent[];
}

/** Called after each commit; `notice` is null when nothing is known but that something committed. */
type Listener = (notice: CommitNotice | null) => void;
type Log = { warn(obj: unknown, msg?: string): void; info?(obj: unknown, msg?: string): void };

export interface ListenOptions {
  log?: Log;
  /** First wait before connecting again after the LISTEN connection was lost; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

/**
 * Wakes subscribers after a commit. What it carries is a shortcut only (a local commit's events):
 * subscribers read the events table from the last id they handled whenever they cannot tell that the
 * notice holds everything after it, so a missed wake-up (a crash, a dropped connection) loses nothing.
 */
export class EventBus {
  private listeners = new Set<Listener>();
  private pgClient: pg.Client | null = null;
  private pgConfig: pg.ClientConfig | null = null;
  private listenOptions: Required<Omit<ListenOptions, 'log'>> & Pick<ListenOptions, 'log'> = { retryMs: 250, maxRetryMs: 10_000 };
  private reconnectTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** How many times the LISTEN connection was made again after a loss (for tests and metrics). */
  reconnects = 0;

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after a local commit; on PostgreSQL other processes hear of it through NOTIFY. */
  wake(notice: CommitNotice | null = null): void {
    for (const listener of this.listeners) {
      try {
        listener(notice);
      } catch {
        // A subscriber's failure must not stop the others; each reports its own errors.
      }
    }
  }

  /** On PostgreSQL: whether the LISTEN connection is up (null on SQLite, where there is none). */
  get listening(): boolean | null {
    return this.pgConfig ? this.pgClient !== null : null;
  }

  /**
   * Across processes on PostgreSQL: a connection of its own (not one of the pool's) LISTENs and
   * wakes this process. When it is lost (a restart, a failover, a terminated backend) it is made
   * again with back-off, and every subscriber is woken once it is back: they read the events table
   * from where they stand, so the events committed meanwhile are delivered too.
   */
  async listenToPostgres(pool: pg.Pool, options: ListenOptions = {}): Promise<void> {
    this.listenOptions = { ...this.listenOptions, ...options };
    this.pgConfig = (pool as unknown as { options: pg.ClientConfig }).options;
    await this.connectListener();
  }

  private async connectListener(): Promise<void> {
    // Loaded here: a SQLite server never needs the PostgreSQL client.
    const { default: pg } = await import('pg');
    const client = new pg.Client(this.pgConfig!);
    const lost = (error: unknown) => this.lost(client, error);
    client.on('error', lost);
    client.on('end', () => lost(null));
    client.on('notification', () => this.wake());
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.pgClient = client;
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.closed || this.pgClient !== client) return;
    this.pgClient = null;
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    this.listenOptions.log?.warn({ err: error }, 'lost the PostgreSQL LISTEN connection; connecting again');
    this.scheduleReconnect(this.listenOptions.retryMs);
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.closed || this.reconnectTimer) return;
    // Jitter, so that N nodes that lost the database together do not return in lockstep.
    const wait = delayMs * (0.75 + Math.random() / 2);
    this.reconnectTimer = setTimeout(async () => {
      this.reconnectTimer = null;
      try {
        await this.connectListener();
      } catch {
        this.scheduleReconnect(Math.min(this.listenOptions.maxRetryMs, delayMs * 2));
        return;
      }
      if (this.closed) return;
      this.reconnects++;
      this.listenOptions.log?.info?.({ reconnects: this.reconnects }, 'listening to PostgreSQL again; catching up from the events table');
      this.wake();
    }, wait);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const client = this.pgClient;
    this.pgClient = null;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
