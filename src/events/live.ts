import type { ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { classifyDatabaseError } from '../ops/database-guard.ts';
import type { EventBus } from './bus.ts';
import { CommitFeed } from './commit-feed.ts';
import { eventFromCommit, lastEventId, readEventsAfter, type StoredEvent } from './outbox.ts';
import { FanOutPacer } from './fan-out-pacer.ts';
import { SerialPump } from './serial-pump.ts';

// Server-Sent Events for any feature: a page subscribes to streams ("article:12", later "reader:7").
// One reader of the events table per process: on each wake it reads the new events once and hands
// each to the connections subscribed to its stream, so a thousand open pages cost one query per
// change, not a thousand. Every frame carries the event id; a browser that reconnects sends it back
// as Last-Event-ID and gets what it missed from the table. Several processes on one PostgreSQL each
// run their own hub, woken by NOTIFY through the bus, and deliver the same stream.

export interface LiveMessage {
  event: string;
  data: unknown;
}

/** What an audience sees of an event, or null to skip it. Called once per event per process, not per connection. */
export type LivePresenter = (event: StoredEvent) => LiveMessage | null | Promise<LiveMessage | null>;

export interface LiveOptions {
  heartbeatMs?: number;
  /** A connection that falls this far behind (a stalled reader) is closed; it resumes from Last-Event-ID. */
  maxBufferedBytes?: number;
  /** A resume that would replay more than this tells the page to reload instead. */
  maxBacklog?: number;
  log?: { error(obj: unknown, msg?: string): void };
}

interface Connection {
  raw: ServerResponse;
  streams: string[];
  present: LivePresenter;
  lastSent: number;
  /** Events that arrive while the backlog is being replayed wait here. */
  queue: StoredEvent[] | null;
  closed: boolean;
  /** When something was last written to it (performance.now()): keep-alives go to quiet streams only. */
  lastWriteAt: number;
}

const BATCH = 500;
/** How soon a run that stopped on a database that went away is tried again. */
const RETRY_MS = 1000;
const KEEP_ALIVE = Buffer.from(': keep-alive\n\n');

export class LiveHub {
  private byStream = new Map<string, Set<Connection>>();
  private connections = new Set<Connection>();
  private cursor = 0;
  /** True while nobody listens: the hub does not read events then, and picks up the head at the next open. */
  private stale = true;
  private readonly pump = new SerialPump(
    () => this.readAndFanOut(),
    (error, again) => {
      if (error) this.opts.log?.error({ err: error }, 'live hub failed to read events');
      // The database was away (the run stopped before the event it could not read or present): no
      // commit may come to wake the hub once it is back, so it tries again by itself.
      if (error && classifyDatabaseError(error) === 'connection') this.retryLater();
      if (again) this.requestRun();
      return false;
    },
  );
  /** How much of the event loop the fan-out may take: slices within a run, pauses between runs. */
  private readonly pacer = new FanOutPacer();
  private pauseTimer: NodeJS.Timeout | null = null;
  /** When the oldest commit not yet read by a run was announced (null: none waits). */
  private pendingSince: number | null = null;
  /** When the oldest commit the run in progress delivers was announced (null: no run). */
  private inFlightSince: number | null = null;
  private readonly heartbeat: NodeJS.Timeout;
  /** Keep-alives are written in slices of the loop too, on their own clock (the fan-out's runs keep theirs). */
  private readonly keepAlivePacer = new FanOutPacer();
  private keepingAlive = false;
  private readonly unsubscribe: () => void;
  private readonly feed = new CommitFeed();
  private readonly opts: Required<Omit<LiveOptions, 'log'>> & Pick<LiveOptions, 'log'>;

  constructor(
    private readonly db: Kysely<Database>,
    bus: EventBus,
    options: LiveOptions = {},
  ) {
    this.opts = { heartbeatMs: 25_000, maxBufferedBytes: 1024 * 1024, maxBacklog: 1000, ...options };
    this.unsubscribe = this.feed.follow(bus, () => this.wake());
    this.heartbeat = setInterval(() => void this.keepAlive(), this.opts.heartbeatMs / 2);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.connections.size;
  }

  /**
   * Takes over the response and streams the events of `streams` after `after` (the Last-Event-ID, or
   * the id the page was rendered at), then everything new until the client goes away.
   */
  async open(raw: ServerResponse, options: { streams: string[]; present: LivePresenter; after: number | null; headers?: Record<string, unknown> }): Promise<void> {
    raw.writeHead(200, {
      ...options.headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 3000\n\n');
    let head: number;
    try {
      head = await lastEventId(this.db);
    } catch (error) {
      // The database is away: the stream ends at once with a longer retry hint, and the browser comes
      // back (resuming from its Last-Event-ID) instead of holding a stream nothing will ever feed.
      this.opts.log?.error({ err: error }, 'live stream refused: the database did not answer');
      raw.end('retry: 10000\n\n');
      return;
    }
    const after = options.after === null ? head : Math.min(options.after, head);
    const conn: Connection = { raw, streams: options.streams, present: options.present, lastSent: after, queue: [], closed: false, lastWriteAt: performance.now() };
    // Registration and the cursor move together, with no await between, so the pump cannot skip an
    // event this connection needs: older ones come from the backlog below, newer ones from the pump.
    this.connections.add(conn);
    for (const stream of conn.streams) {
      let set = this.byStream.get(stream);
      if (!set) this.byStream.set(stream, (set = new Set()));
      set.add(conn);
    }
    if (this.stale) {
      this.cursor = head;
      this.stale = false;
    }
    raw.on('close', () => this.drop(conn));

    try {
      const backlog = await this.readBacklog(conn.streams, after);
      if (backlog === null) {
        this.write(conn, 'event: reset\ndata: {}\n\n');
        this.drop(conn, true);
        return;
      }
      for (const event of backlog) await this.deliver(conn, event, new Map());
      // Events the pump queued meanwhile are drained before the connection joins the pump's writes:
      // the queue is dropped only when empty, with no await in between, so none is overtaken.
      while (conn.queue && conn.queue.length > 0) await this.deliver(conn, conn.queue.shift()!, new Map());
      conn.queue = null;
    } catch (error) {
      this.opts.log?.error({ err: error }, 'live stream failed to replay');
      this.drop(conn, true);
    }
  }

  private async readBacklog(streams: string[], after: number): Promise<StoredEvent[] | null> {
    const all: StoredEvent[] = [];
    for (const stream of streams) {
      const events = await readEventsAfter(this.db, after, { stream, limit: this.opts.maxBacklog + 1 });
      if (events.length > this.opts.maxBacklog) return null;
      all.push(...events);
    }
    return all.sort((a, b) => a.id - b.id);
  }

  /** Called by the bus after every commit (ours, or another process's through NOTIFY). */
  wake(): void {
    this.pendingSince ??= performance.now();
    this.requestRun();
  }

  private retryTimer: NodeJS.Timeout | null = null;

  private retryLater(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.wake();
    }, RETRY_MS);
    this.retryTimer.unref();
  }

  private requestRun(): void {
    if (this.pauseTimer) return;
    const wait = this.pacer.waitMs();
    if (wait < 1) return this.pump.request();
    this.pauseTimer = setTimeout(() => {
      this.pauseTimer = null;
      this.pump.request();
    }, wait);
    this.pauseTimer.unref();
  }

  /**
   * How long the oldest commit still being written to the open pages has waited, in milliseconds (0
   * when the hub is keeping up). Each comment is written to every reader of its article, work that comes
   * after the comment's own answer: load shedding refuses new writes while this grows, because what was
   * admitted has not been delivered yet.
   */
  deliveryLagMs(now = performance.now()): number {
    const since = this.inFlightSince ?? this.pendingSince;
    return since === null ? 0 : Math.max(0, now - since);
  }

  private async readAndFanOut(): Promise<void> {
    this.inFlightSince = this.pendingSince;
    this.pendingSince = null;
    this.pacer.startRun();
    try {
      await this.fanOutNewEvents();
    } catch (error) {
      // The run stopped short of what it took: the next one reads the events from the table.
      this.feed.forget();
      throw error;
    } finally {
      this.inFlightSince = null;
      this.pacer.endRun();
    }
  }

  private async fanOutNewEvents(): Promise<void> {
    for (;;) {
      if (this.connections.size === 0) {
        this.stale = true;
        return;
      }
      const events = this.feed.take(this.cursor)?.map(eventFromCommit) ?? (await readEventsAfter(this.db, this.cursor, { limit: BATCH }));
      this.pacer.startSlice();
      // One system call per connection per batch, not per event (its frames are written in one tick):
      // with thousands of open pages, a socket write per reader per comment is what kept the answers
      // to the comments' own POSTs waiting.
      const outgoing = new Map<Connection, Buffer[]>();
      // Where the next run starts if this one stops on a database that went away: after the last event
      // handed to everyone. Pages that got the stopped event already skip it the second time.
      let done = this.cursor;
      try {
        for (const event of events) {
          this.cursor = event.id;
          const subscribers = this.byStream.get(event.stream);
          if (subscribers) await this.fanOutEvent(event, subscribers, outgoing);
          done = event.id;
          await this.pacer.yieldWhenSliceSpent();
        }
      } catch (error) {
        this.cursor = done;
        await this.flush(outgoing);
        throw error;
      }
      await this.flush(outgoing);
      if (events.length < BATCH) return;
    }
  }

  /** An event's frame for each page subscribed to its stream, added to what goes to that page. */
  private async fanOutEvent(event: StoredEvent, subscribers: Set<Connection>, outgoing: Map<Connection, Buffer[]>): Promise<void> {
    // Each audience's frame first (a presenter may read the database), then every page in one
    // synchronous pass: thousands of pages must not cost thousands of awaits per event.
    const presented = new Map<LivePresenter, Buffer | null>();
    for (const conn of subscribers) {
      if (!conn.queue && !presented.has(conn.present)) presented.set(conn.present, await this.present(conn.present, event));
    }
    const late: Connection[] = [];
    for (const conn of subscribers) {
      if (conn.queue) {
        if (conn.queue.length >= this.opts.maxBacklog) this.drop(conn, true);
        else conn.queue.push(event);
        continue;
      }
      if (conn.closed || event.id <= conn.lastSent) continue;
      // A page that finished its replay during the awaits above, with an audience not presented yet.
      if (!presented.has(conn.present)) {
        late.push(conn);
        continue;
      }
      conn.lastSent = event.id;
      const frame = presented.get(conn.present);
      if (frame) addFrame(outgoing, conn, frame);
    }
    for (const conn of late) {
      const frame = await this.frameFor(conn, event, presented);
      if (frame) addFrame(outgoing, conn, frame);
    }
  }

  /**
   * Writes each connection's frames, letting the event loop turn between slices so requests are
   * answered meanwhile, and ends the run's last slice.
   */
  private async flush(outgoing: Map<Connection, Buffer[]>): Promise<void> {
    await this.pacer.writeEach(outgoing, ([conn, frames]) => {
      for (const frame of frames) this.write(conn, frame);
    });
  }

  private async deliver(conn: Connection, event: StoredEvent, presented: Map<LivePresenter, Buffer | null>): Promise<void> {
    const frame = await this.frameFor(conn, event, presented);
    if (frame) this.write(conn, frame);
  }

  /** The frame `conn` is owed for `event` (null when none), marking it sent; presented once per audience. */
  private async frameFor(conn: Connection, event: StoredEvent, presented: Map<LivePresenter, Buffer | null>): Promise<Buffer | null> {
    if (conn.closed || event.id <= conn.lastSent) return null;
    let frame = presented.get(conn.present);
    if (frame === undefined) {
      frame = await this.present(conn.present, event);
      presented.set(conn.present, frame);
    }
    conn.lastSent = event.id;
    return frame;
  }

  /**
   * The SSE frame an audience sees of an event, or null for none (a failing presenter is logged, and
   * skipped). Encoded once here rather than by each page's write: thousands of writes of one string
   * would each measure and encode it again.
   */
  private async present(present: LivePresenter, event: StoredEvent): Promise<Buffer | null> {
    let message: LiveMessage | null = null;
    try {
      message = await present(event);
    } catch (error) {
      // Skipping an event the database could not be asked about would lose it for every open page.
      if (classifyDatabaseError(error) === 'connection') throw error;
      this.opts.log?.error({ err: error, eventId: event.id }, 'live presenter failed');
    }
    return message ? Buffer.from(`id: ${event.id}\nevent: ${message.event}\ndata: ${JSON.stringify(message.data)}\n\n`) : null;
  }

  /**
   * Keeps quiet streams open through proxies that close idle connections: checked every half period,
   * a keep-alive goes to each stream nothing was written to for half a period, so none is silent
   * longer than heartbeatMs, and a busy site's streams (written at every comment) get none. In slices,
   * like the fan-out: written to thousands of pages in one go, they held the event loop 70 ms in the
   * soak bench, while the requests that came meanwhile waited unread.
   */
  private async keepAlive(): Promise<void> {
    if (this.keepingAlive) return;
    this.keepingAlive = true;
    try {
      const quietSince = performance.now() - this.opts.heartbeatMs / 2;
      const quiet = [...this.connections].filter((conn) => conn.lastWriteAt <= quietSince);
      this.keepAlivePacer.startSlice();
      await this.keepAlivePacer.writeEach(quiet, (conn) => this.write(conn, KEEP_ALIVE));
    } finally {
      this.keepingAlive = false;
    }
  }

  private write(conn: Connection, chunk: string | Buffer): void {
    if (conn.closed) return;
    conn.lastWriteAt = performance.now();
    conn.raw.write(chunk);
    // The socket buffers what a slow reader has not taken; past the bound we let it go and it resumes.
    if (conn.raw.writableLength > this.opts.maxBufferedBytes) this.drop(conn, true);
  }

  private drop(conn: Connection, end = false): void {
    if (conn.closed) return;
    conn.closed = true;
    this.connections.delete(conn);
    for (const stream of conn.streams) {
      const set = this.byStream.get(stream);
      set?.delete(conn);
      if (set?.size === 0) this.byStream.delete(stream);
    }
    if (end) conn.raw.end();
  }

  /** Ends every stream (server shutdown): browsers reconnect to another process or after restart. */
  close(): void {
    clearInterval(this.heartbeat);
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.unsubscribe();
    for (const conn of [...this.connections]) this.drop(conn, true);
  }
}

function addFrame(outgoing: Map<Connection, Buffer[]>, conn: Connection, frame: Buffer): void {
  const frames = outgoing.get(conn);
  if (frames) frames.push(frame);
  else outgoing.set(conn, [frame]);
}

const hubs = new WeakMap<object, LiveHub>();

/** The process's hub for this context, made on first use and shared by every feature's streams. */
export function liveHub(ctx: { db: { kysely: Kysely<Database> }; bus: EventBus; log?: LiveOptions['log'] }, options?: LiveOptions): LiveHub {
  let hub = hubs.get(ctx);
  if (!hub) {
    hub = new LiveHub(ctx.db.kysely, ctx.bus, { log: ctx.log, ...options });
    hubs.set(ctx, hub);
  }
  return hub;
}

/** The id to resume after: the Last-Event-ID header (reconnects) or the page's own `after` (first connect). */
export function resumeFrom(header: unknown, query: unknown): number | null {
  for (const raw of [header, query]) {
    if (typeof raw === 'string' && /^\d{1,15}$/.test(raw)) return Number(raw);
  }
  return null;
}
