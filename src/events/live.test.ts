import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { EventBus } from './bus.ts';
import { runCommand } from './command.ts';
import { LiveHub, resumeFrom } from './live.ts';
import { waitFor } from '../../test/helpers/wait.ts';

/** Just enough of a ServerResponse to collect what the hub writes. */
class FakeResponse extends EventEmitter {
  text = '';
  ended = false;
  writableLength = 0;
  writeHead() {
    return this;
  }
  write(chunk: string | Buffer) {
    this.text += String(chunk);
    return true;
  }
  end(chunk?: string) {
    if (chunk) this.text += chunk;
    this.ended = true;
    this.emit('close');
  }
  ids(): number[] {
    return [...this.text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  }
}

/** A page whose system call (in a process.nextTick, as Node does it) holds the loop half a millisecond. */
class CostlyResponse extends FakeResponse {
  corked = false;
  override write(chunk: string | Buffer) {
    if (!this.corked) {
      this.corked = true;
      process.nextTick(() => {
        this.corked = false;
        const start = performance.now();
        while (performance.now() - start < 0.5);
      });
    }
    return super.write(chunk);
  }
}

const settle = () => new Promise((r) => setTimeout(r, 30));

describe('LiveHub', () => {
  let db: Db;
  let bus: EventBus;
  let hub: LiveHub;
  let presented: number;
  const present = (event: { id: number; type: string }) => {
    presented++;
    return { event: event.type, data: { id: event.id } };
  };
  const emit = (stream: string) => runCommand({ db, bus }, async (tx) => tx.emit({ type: 'test.happened', stream, payload: {} }));

  beforeEach(async () => {
    db = await openDatabase({ dataDir: '', databaseUrl: null, sqliteFile: ':memory:' });
    await migrateToLatest(db);
    bus = new EventBus();
    hub = new LiveHub(db.kysely, bus);
    presented = 0;
  });
  afterEach(async () => {
    hub.close();
    await db.close();
  });

  it('ends a stream opened while the database does not answer, with a retry hint, instead of holding it', async () => {
    const broken = await openDatabase({ dataDir: '', databaseUrl: null, sqliteFile: ':memory:' });
    await broken.close();
    const away = new LiveHub(broken.kysely, bus);
    const res = new FakeResponse();
    await away.open(res as unknown as ServerResponse, { streams: ['s:a'], present, after: null });
    expect(res.ended).toBe(true);
    expect(res.text).toContain('retry: 10000');
    expect(away.size).toBe(0);
    away.close();
  });

  it('fans each event out to the subscribers of its stream only, presenting it once', async () => {
    const [a1, a2, b] = [new FakeResponse(), new FakeResponse(), new FakeResponse()];
    await hub.open(a1 as unknown as ServerResponse, { streams: ['s:a'], present, after: null });
    await hub.open(a2 as unknown as ServerResponse, { streams: ['s:a'], present, after: null });
    await hub.open(b as unknown as ServerResponse, { streams: ['s:b'], present, after: null });
    await emit('s:a');
    await emit('s:b');
    // Waited for, not slept on: on a busy machine the first run may count as costly, and the fan-out then
    // pauses before the next (fan-out-pacer.ts).
    await waitFor(() => (a1.ids().length > 0 && a2.ids().length > 0 && b.ids().length > 0) || null, 'each page to get its event');
    await settle();
    expect(a1.ids()).toHaveLength(1);
    expect(a2.ids()).toEqual(a1.ids());
    expect(b.ids()).toHaveLength(1);
    expect(b.ids()[0]).toBeGreaterThan(a1.ids()[0]!);
    expect(presented).toBe(2);
    expect(a1.text).toContain('event: test.happened');
  });

  it('replays what a reconnecting client missed, then continues live without duplicates', async () => {
    await emit('s:a');
    await emit('s:a');
    await emit('s:other');
    const res = new FakeResponse();
    await hub.open(res as unknown as ServerResponse, { streams: ['s:a'], present, after: 0 });
    await emit('s:a');
    await settle();
    expect(res.ids()).toEqual([1, 2, 4]);
  });

  it('sends a reset when the gap is too large to replay, and forgets closed connections', async () => {
    const small = new LiveHub(db.kysely, bus, { maxBacklog: 2 });
    for (let i = 0; i < 3; i++) await emit('s:a');
    const res = new FakeResponse();
    await small.open(res as unknown as ServerResponse, { streams: ['s:a'], present, after: 0 });
    expect(res.text).toContain('event: reset');
    expect(res.ended).toBe(true);
    expect(small.size).toBe(0);
    small.close();
  });

  it('drops a connection whose unsent buffer passes the bound', async () => {
    const slow = new FakeResponse();
    slow.writableLength = 10 * 1024 * 1024;
    await hub.open(slow as unknown as ServerResponse, { streams: ['s:a'], present, after: null });
    expect(hub.size).toBe(1);
    await emit('s:a');
    await settle();
    expect(slow.ended).toBe(true);
    expect(hub.size).toBe(0);
  });

  it('under a stream of events, pauses after each run as long as its writes held the loop, and still delivers every event', async () => {
    // Writing to this page holds the loop 15 ms, as writing to thousands of pages would; like a real
    // response, the writes of one tick go out in one system call, in a process.nextTick (Node corks
    // the socket until then).
    const runs: { start: number; end: number }[] = [];
    class SlowResponse extends FakeResponse {
      corked = false;
      override write(chunk: string | Buffer) {
        if (!this.corked && !String(chunk).startsWith('retry:')) {
          this.corked = true;
          process.nextTick(() => {
            this.corked = false;
            const start = performance.now();
            while (performance.now() - start < 15);
            runs.push({ start, end: performance.now() });
          });
        }
        return super.write(chunk);
      }
    }
    const page = new SlowResponse();
    await hub.open(page as unknown as ServerResponse, { streams: ['s:a'], present, after: null });
    const lags: number[] = [];
    for (let i = 0; i < 12; i++) {
      await emit('s:a');
      lags.push(hub.deliveryLagMs());
      await new Promise((r) => setTimeout(r, 3));
    }
    await waitFor(() => page.ids().length === 12 || null, 'every event to be delivered', 5_000);
    expect(new Set(page.ids()).size).toBe(12);
    // Back to back, twelve events 3 ms apart would make about twelve runs; paced, several events share
    // a run, and between two runs the loop was free at least as long as the first one held it, and
    // at least the rest of the period.
    expect(runs.length).toBeLessThan(12);
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i]!.start - runs[i - 1]!.end).toBeGreaterThanOrEqual(0.9 * (runs[i - 1]!.end - runs[i - 1]!.start));
      expect(runs[i]!.start - runs[i - 1]!.start).toBeGreaterThanOrEqual(95);
    }
    // The events that waited out a pause count as delivery lag, which load shedding watches.
    expect(Math.max(...lags)).toBeGreaterThan(5);
    expect(hub.deliveryLagMs()).toBe(0);
  });

  it('writes to many pages in slices of the event loop, so requests are answered while it writes', async () => {
    // A hundred pages hold the loop 50 ms in all (CostlyResponse), which must not be one stretch.
    const pages = Array.from({ length: 100 }, () => new CostlyResponse());
    for (const page of pages) await hub.open(page as unknown as ServerResponse, { streams: ['s:a'], present, after: null });
    await settle();
    // A probe that runs at every turn of the loop, as a request's callback would.
    // Counted, not timed: a busy machine stretches every turn, but not their number.
    let turns = 0;
    let probing = true;
    const probe = () => {
      turns++;
      if (probing) setImmediate(probe);
    };
    setImmediate(probe);
    const begun = performance.now();
    await emit('s:a');
    const turnsBefore = turns;
    await waitFor(() => pages.every((page) => page.ids().length === 1) || null, 'every page to get the event');
    const took = performance.now() - begun;
    probing = false;
    expect(took).toBeGreaterThanOrEqual(50);
    // 50 ms of writing in slices of a few milliseconds: other callbacks ran between them (in one
    // stretch, the probe would have run once or twice).
    expect(turns - turnsBefore).toBeGreaterThanOrEqual(6);
  });

  it('keeps quiet streams alive, and writes no keep-alive to a stream that is written to anyway', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const beating = new LiveHub(db.kysely, bus, { heartbeatMs: 1000 });
    try {
      const [busy, quiet] = [new FakeResponse(), new FakeResponse()];
      await beating.open(busy as unknown as ServerResponse, { streams: ['s:a'], present, after: null });
      await beating.open(quiet as unknown as ServerResponse, { streams: ['s:b'], present, after: null });
      const keepAlives = (page: FakeResponse) => page.text.split(': keep-alive').length - 1;
      vi.advanceTimersByTime(400);
      await emit('s:a');
      await settle();
      expect(busy.ids()).toHaveLength(1);
      // The check at 500 ms: the quiet stream has had nothing for half a period, the busy one had a comment at 400.
      vi.advanceTimersByTime(100);
      await settle();
      expect(keepAlives(quiet)).toBe(1);
      expect(keepAlives(busy)).toBe(0);
      // At 1000 ms both have been quiet for half a period: neither stays silent longer than heartbeatMs.
      vi.advanceTimersByTime(500);
      await settle();
      expect(keepAlives(busy)).toBe(1);
      expect(keepAlives(quiet)).toBe(2);
    } finally {
      beating.close();
      vi.useRealTimers();
    }
  });

  it('writes keep-alives to many quiet pages in slices of the event loop', async () => {
    // The turn of the loop in which each keep-alive was written.
    let turns = 0;
    const seen: number[] = [];
    class RecordingResponse extends CostlyResponse {
      override write(chunk: string | Buffer) {
        if (String(chunk).startsWith(': keep-alive')) seen.push(turns);
        return super.write(chunk);
      }
    }
    const beating = new LiveHub(db.kysely, bus, { heartbeatMs: 200 });
    let probing = true;
    try {
      const pages = Array.from({ length: 100 }, () => new RecordingResponse());
      for (const page of pages) await beating.open(page as unknown as ServerResponse, { streams: ['s:quiet'], present, after: null });
      const probe = () => {
        turns++;
        if (probing) setImmediate(probe);
      };
      setImmediate(probe);
      await waitFor(() => pages.every((page) => page.text.includes(': keep-alive')) || null, 'every page to get a keep-alive');
      // 50 ms of writing in slices of a few milliseconds: the loop turned between them (in one
      // stretch, all hundred writes would have come in the same turn).
      const first = seen.slice(0, 100);
      expect(first.at(-1)! - first[0]!).toBeGreaterThanOrEqual(6);
    } finally {
      probing = false;
      beating.close();
    }
  });

  it('stops at an event it cannot present while the database is away, and delivers it and the next ones once it is back', async () => {
    const res = new FakeResponse();
    let away = false;
    const flaky = (event: { id: number; type: string }) => {
      if (away) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      return present(event);
    };
    await hub.open(res as unknown as ServerResponse, { streams: ['s:a'], present: flaky, after: null });
    await emit('s:a');
    await waitFor(() => res.ids().length === 1, 'the first event');
    away = true;
    await emit('s:a');
    await emit('s:a');
    await settle();
    expect(res.ids()).toHaveLength(1);
    // Back, with no commit to wake the hub: it tries again by itself.
    away = false;
    await waitFor(() => res.ids().length === 3, 'the events of the outage', 5000);
    expect(new Set(res.ids()).size).toBe(3);
  });

  it('skips an event whose presenter fails for any other reason, and goes on', async () => {
    const res = new FakeResponse();
    const picky = (event: { id: number; type: string }) => {
      if (presented++ === 0) throw new Error('a bug in one presenter');
      return { event: event.type, data: { id: event.id } };
    };
    await hub.open(res as unknown as ServerResponse, { streams: ['s:a'], present: picky, after: null });
    await emit('s:a');
    await emit('s:a');
    await waitFor(() => res.ids().length === 1, 'the second event');
    await settle();
    expect(res.ids()).toHaveLength(1);
  });

  it('reads the resume point from Last-Event-ID first, then ?after', () => {
    expect(resumeFrom('12', '3')).toBe(12);
    expect(resumeFrom(undefined, '3')).toBe(3);
    expect(resumeFrom('x', undefined)).toBeNull();
  });
});
