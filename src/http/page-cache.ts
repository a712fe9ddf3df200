import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { EventBus } from '../events/bus.ts';
import { lastEventId, readEventsAfter } from '../events/outbox.ts';
import { SerialPump } from '../events/serial-pump.ts';

export interface CachedPage {
  body: Buffer;
  headers: Record<string, string>;
  /** The body compressed once when it was stored, for readers whose browsers accept it. */
  encoded?: { br: Buffer; gzip: Buffer };
}

interface Entry extends CachedPage {
  tags: string[];
  expiresAt: number;
}

export interface PageCacheOptions {
  /** A safety net for changes that reach a page without an event naming it (e.g. a renamed reader). */
  ttlMs?: number;
  maxEntries?: number;
}

/**
 * Rendered pages for anonymous readers, who all see the same HTML. An entry is tagged with the event
 * streams it shows (`article:12`, `articles`); any event on a tag drops it at once. Events come from
 * the events table after each bus wake-up, so several processes on one PostgreSQL (woken by NOTIFY)
 * invalidate alike, and nothing depends on the request that caused the change.
 */
export class PageCache {
  private entries = new Map<string, Entry>();
  private byTag = new Map<string, Set<string>>();
  private lastId = 0;
  /** Bumped on every invalidation; a render that began before a bump on its tags is not stored. */
  private generation = 0;
  private tagGeneration = new Map<string, number>();
  private clearedAt = -1;
  private unsubscribe: (() => void) | null = null;
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(options: PageCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 1000;
  }

  /** Starts following the events table from its current end. */
  async follow(db: Kysely<Database>, bus: EventBus): Promise<void> {
    this.lastId = await lastEventId(db);
    const pump = new SerialPump(
      () => this.readNewEvents(db),
      (error, again) => {
        // Invalidation failed to read: drop everything rather than serve pages that may be stale.
        if (error) this.clear();
        return again;
      },
    );
    this.unsubscribe = bus.subscribe(() => pump.request());
  }

  stop(): void {
    this.unsubscribe?.();
    this.clear();
  }

  private clear(): void {
    this.entries.clear();
    this.byTag.clear();
    // Renders that began before now may hold what the failed read would have invalidated.
    this.clearedAt = this.generation++;
  }

  /** Pages held now (for the metrics). */
  get size(): number {
    return this.entries.size;
  }

  get(key: string): CachedPage | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= Date.now()) {
      this.delete(key);
      return null;
    }
    return entry;
  }

  /** Call before reading what a page shows; pass the result to set(). */
  begin(): number {
    return this.generation;
  }

  set(key: string, page: CachedPage, tags: string[], begunAt: number): void {
    // The page was rendered from data that an event has since changed: keep it out of the cache.
    if (begunAt <= this.clearedAt || tags.some((tag) => (this.tagGeneration.get(tag) ?? -1) >= begunAt)) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.delete(oldest);
    }
    this.delete(key);
    this.entries.set(key, { ...page, tags, expiresAt: Date.now() + this.ttlMs });
    for (const tag of tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  invalidate(tag: string): void {
    this.tagGeneration.set(tag, this.generation++);
    const keys = this.byTag.get(tag);
    if (!keys) return;
    for (const key of [...keys]) this.delete(key);
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const tag of entry.tags) this.byTag.get(tag)?.delete(key);
  }

  /** Drops the entries whose streams have new events since the last read. */
  private async readNewEvents(db: Kysely<Database>): Promise<void> {
    for (;;) {
      const events = await readEventsAfter(db, this.lastId, { limit: 1000 });
      for (const event of events) {
        this.invalidate(event.stream);
        // The front page and feed list articles: any article change touches them.
        if (event.type.startsWith('article.') || event.type.startsWith('comment.')) this.invalidate('articles');
        this.lastId = event.id;
      }
      if (events.length < 1000) return;
    }
  }
}
