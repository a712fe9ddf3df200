import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { EventBus } from '../events/bus.ts';
import { CommitFeed } from '../events/commit-feed.ts';
import { lastEventId, readEventHeadsAfter, type StoredEvent } from '../events/outbox.ts';
import { SerialPump } from '../events/serial-pump.ts';

export interface CachedPage {
  body: Buffer;
  headers: Record<string, string>;
  /** The body compressed once when it was stored, for readers whose browsers accept it. */
  encoded?: { br: Buffer; gzip: Buffer };
}

interface Entry {
  /** A whole page for anonymous readers (served before Fastify), or a shared part of pages (value). */
  page?: CachedPage;
  value?: unknown;
  bytes: number;
  tags: string[];
  expiresAt: number;
}

export interface PageCacheOptions {
  /** A safety net for changes that reach a page without an event naming it (e.g. a renamed reader). */
  ttlMs?: number;
  /** What the cache may hold, in bytes (bodies, their compressed copies, shared fragments). */
  maxBytes?: number;
  /** @deprecated bounded by bytes now; kept as an upper bound on entries for old callers. */
  maxEntries?: number;
}

/** PAGE_CACHE_MAX_MB's default: room for a few hundred busy article pages with their compressed copies. */
const MAX_TAG_GENERATIONS = 10_000;

export const DEFAULT_PAGE_CACHE_BYTES = 32 * 1024 * 1024;

/** What a cached page costs in memory: its body, its compressed copies and its headers. */
export function pageBytes(page: CachedPage): number {
  let bytes = page.body.length + (page.encoded ? page.encoded.br.length + page.encoded.gzip.length : 0) + 200;
  for (const [name, value] of Object.entries(page.headers)) bytes += name.length + value.length;
  return bytes;
}

/**
 * Rendered pages for anonymous readers, who all see the same HTML, and the parts of pages that are
 * the same for every reader (a conversation's threads: src/comments/shared-conversation.tsx). An entry
 * is tagged with the event streams it shows (`article:12`, `articles`); any event on a tag drops it at
 * once. Events come from the events table after each bus wake-up, so several processes on one
 * PostgreSQL (woken by NOTIFY) invalidate alike, and nothing depends on the request that caused the
 * change. The cache is bounded by bytes (PAGE_CACHE_MAX_MB), least recently used out first.
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
  private pump: SerialPump | null = null;
  private readonly feed = new CommitFeed();
  private readonly ttlMs: number;
  private readonly maxBytes: number;
  private readonly maxEntries: number;
  private heldBytes = 0;

  constructor(options: PageCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxBytes = options.maxBytes ?? DEFAULT_PAGE_CACHE_BYTES;
    this.maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
  }

  /** Starts following the events table from its current end. */
  async follow(db: Kysely<Database>, bus: EventBus): Promise<void> {
    this.lastId = await lastEventId(db);
    const pump = (this.pump = new SerialPump(
      () => this.readNewEvents(db),
      (error, again) => {
        // Invalidation failed to read: drop everything rather than serve pages that may be stale.
        if (error) {
          this.clear();
          this.feed.forget();
        }
        return again;
      },
    ));
    this.unsubscribe = this.feed.follow(bus, () => pump.request());
  }

  /**
   * Null when this cache has read every event committed here so far; else a promise that resolves
   * once it has. A write's answer waits for it, so that the page the writer is sent to next (or
   * any reader's, from this process) does not come from a copy the write has made stale.
   */
  caughtUp(): Promise<void> | null {
    return this.pump?.caughtUp() ?? null;
  }

  stop(): void {
    this.unsubscribe?.();
    void this.pump?.stop();
    this.clear();
  }

  private clear(): void {
    this.entries.clear();
    this.byTag.clear();
    this.heldBytes = 0;
    // Renders that began before now may hold what the failed read would have invalidated.
    this.clearedAt = this.generation++;
  }

  /** Entries held now (for the metrics). */
  get size(): number {
    return this.entries.size;
  }

  /** Bytes held now (for the metrics). */
  get bytes(): number {
    return this.heldBytes;
  }

  private live(key: string): Entry | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= Date.now()) {
      this.delete(key);
      return null;
    }
    // Least recently used goes first: a hit moves the entry to the end of the map's order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  get(key: string): CachedPage | null {
    return this.live(key)?.page ?? null;
  }

  /** A shared part of pages stored with setShared(), or null. */
  getShared<T>(key: string): T | null {
    return (this.live(key)?.value as T | undefined) ?? null;
  }

  /** Call before reading what a page shows; pass the result to set(). */
  begin(): number {
    return this.generation;
  }

  set(key: string, page: CachedPage, tags: string[], begunAt: number): void {
    this.store(key, { page, bytes: pageBytes(page), tags, expiresAt: 0 }, begunAt);
  }

  /** Stores a part of pages that is the same for every reader; `bytes` is what it holds in memory. */
  setShared(key: string, value: unknown, bytes: number, tags: string[], begunAt: number): void {
    this.store(key, { value, bytes, tags, expiresAt: 0 }, begunAt);
  }

  private store(key: string, entry: Entry, begunAt: number): void {
    const { tags } = entry;
    // The page was rendered from data that an event has since changed: keep it out of the cache.
    if (begunAt <= this.clearedAt || tags.some((tag) => (this.tagGeneration.get(tag) ?? -1) >= begunAt)) return;
    if (entry.bytes > this.maxBytes / 4) return;
    this.delete(key);
    while (this.entries.size > 0 && (this.heldBytes + entry.bytes > this.maxBytes || this.entries.size >= this.maxEntries)) {
      this.delete(this.entries.keys().next().value!);
    }
    entry.expiresAt = Date.now() + this.ttlMs;
    this.entries.set(key, entry);
    this.heldBytes += entry.bytes;
    for (const tag of tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  invalidate(tag: string): void {
    // One number per tag ever changed would grow without end: past a bound, forget them all and
    // refuse whatever was rendering then (as after a failed read), which costs one render each.
    if (this.tagGeneration.size >= MAX_TAG_GENERATIONS) {
      this.tagGeneration.clear();
      this.clearedAt = this.generation++;
    }
    this.tagGeneration.set(tag, this.generation++);
    const keys = this.byTag.get(tag);
    if (!keys) return;
    for (const key of [...keys]) this.delete(key);
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.heldBytes -= entry.bytes;
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      // Tags of dropped entries must not pile up (an article's tag lives as long as one of its pages).
      if (keys?.size === 0) this.byTag.delete(tag);
    }
  }

  /** Drops the entries whose streams have new events since the last read. */
  private async readNewEvents(db: Kysely<Database>): Promise<void> {
    const committed = this.feed.take(this.lastId);
    if (committed) return this.invalidateFor(committed);
    for (;;) {
      // Only what invalidation looks at (no payloads): this read follows every commit of the site.
      const events = await readEventHeadsAfter(db, this.lastId, 1000);
      this.invalidateFor(events);
      if (events.length < 1000) return;
    }
  }

  private invalidateFor(events: Pick<StoredEvent, 'id' | 'type' | 'stream'>[]): void {
    for (const event of events) {
      this.invalidate(event.stream);
      // The front page and feed list articles: any article change touches them.
      if (event.type.startsWith('article.') || event.type.startsWith('comment.')) this.invalidate('articles');
      this.lastId = event.id;
    }
  }
}
