import type pg from 'pg';
import { EVENTS_CHANNEL } from './outbox.ts';

type Listener = () => void;

/**
 * Wakes subscribers after a commit. It carries no data: subscribers read the events table from the
 * last id they handled, so a missed wake-up (a crash, a dropped connection) loses nothing.
 */
export class EventBus {
  private listeners = new Set<Listener>();
  private pgClient: pg.PoolClient | null = null;

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after a local commit; on PostgreSQL other processes hear of it through NOTIFY. */
  wake(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A subscriber's failure must not stop the others; each reports its own errors.
      }
    }
  }

  /** Across processes on PostgreSQL: one pooled connection LISTENs and wakes this process. */
  async listenToPostgres(pool: pg.Pool): Promise<void> {
    const client = await pool.connect();
    client.on('notification', () => this.wake());
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    this.pgClient = client;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    if (this.pgClient) {
      await this.pgClient.query(`UNLISTEN ${EVENTS_CHANNEL}`).catch(() => undefined);
      this.pgClient.release();
      this.pgClient = null;
    }
  }
}
