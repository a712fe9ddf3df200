import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { waitFor } from '../helpers/wait.ts';
import { opsState } from '../../src/ops/state.ts';
import fs from 'node:fs';
import pg from 'pg';
import { importArticle } from '../../src/articles/commands.ts';
import { parseArticleFile } from '../../src/articles/import-file.ts';
import { setSetting } from '../../src/settings/store.ts';
import { groupCommitter } from '../../src/events/group-commit.ts';
import { liveHub } from '../../src/events/live.ts';
import { EXAMPLE_FILE } from '../helpers/app.ts';
import { createTestUser, signedInClient } from '../helpers/users.ts';

// The shed counts are read from the metrics, which a server keeps only when they can be read.
const READ_METRICS = { METRICS_TOKEN: 'load-shedding-test-metrics' };
const pgUrl = process.env.PARLEY_TEST_DATABASE_URL?.trim() || null;

// Past saturation a write is refused at once (503 + Retry-After, our error shape) instead of queueing
// behind the others, so the accepted ones stay fast; reads go on.

function slowWrite(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"em');
      resolve(socket);
    });
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

const post = (app: TestApp) =>
  fetch(`${app.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '{}' });

const shedCount = async (app: TestApp, reason: string) => {
  const text = await opsState(app.ctx).metrics!.registry.getSingleMetricAsString('parley_shed_requests_total');
  return Number(new RegExp(`reason="${reason}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
};

/** An article open for comments, clients signed in as different readers, and the path to post to. */
async function conversation(app: TestApp, readers: number) {
  const draft = await parseArticleFile(fs.readFileSync(EXAMPLE_FILE), EXAMPLE_FILE, { publicationName: 'The Independent' });
  const { article } = await importArticle(app.ctx, draft);
  await setSetting(app.ctx.db.kysely, 'commentIntervalSeconds', 0);
  await setSetting(app.ctx.db.kysely, 'spamHoldThreshold', 1);
  const clients = await Promise.all(Array.from({ length: readers }, async () => signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx))));
  for (const client of clients) await client.csrfToken();
  return { clients, path: `/api/v1/articles/${article.slug}/comments` };
}

const writeSlots = async (app: TestApp, state: string) => {
  const text = await opsState(app.ctx).metrics!.registry.getSingleMetricAsString('parley_write_slots');
  return Number(new RegExp(`state="${state}"\\} (\\d+)`).exec(text)?.[1] ?? NaN);
};

/** Holds every comment command before its transaction until `open()`: the writes stay in progress. */
function holdCommentWrites(app: TestApp) {
  const committer = groupCommitter(app.ctx);
  const run = committer.run.bind(committer);
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  committer.run = async (body) => {
    await gate;
    return run(body);
  };
  return {
    open() {
      open();
      committer.run = run;
    },
  };
}

describe.each(dialects)('load shedding on %s', (dialect) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answers the writes beyond SHED_MAX_WRITES in progress with 503 + Retry-After before the admitted ones finish, and the admitted ones all succeed', async () => {
    app = await startTestApp(dialect, { ...READ_METRICS, SHED_MAX_WRITES: '3' });
    const { clients, path } = await conversation(app, 7);
    const hold = holdCommentWrites(app);
    let released = false;
    try {
      const finished: string[] = [];
      const admitted = clients.slice(0, 3).map((client, i) =>
        client.post(path, { body: `admitted ${i}` }).then((res) => {
          finished.push('admitted');
          return res;
        }),
      );
      // All three hold their slot (their body was read; they wait in the command).
      await waitFor(async () => (await writeSlots(app!, 'in_progress')) === 3, 'three writes in progress');

      const excess = await Promise.all(
        clients.slice(3).map((client, i) =>
          client.post(path, { body: `excess ${i}` }).then((res) => {
            finished.push('refused');
            return res;
          }),
        ),
      );
      for (const refused of excess) {
        expect(refused.status).toBe(503);
        expect(refused.res.headers.get('retry-after')).toBe('5');
        expect(refused.body).toMatchObject({ error: { code: 'overloaded', message: expect.stringMatching(/too busy/) } });
      }
      // Refused without waiting for an admitted write to finish (for want of a slot, or, on a slow
      // machine, because the writes in progress have been stuck for a while).
      expect(finished).toEqual(Array(4).fill('refused'));
      expect((await shedCount(app, 'writesInProgress')) + (await shedCount(app, 'writeLatency'))).toBe(4);
      // Reads go on meanwhile.
      expect((await fetch(`${app.baseUrl}/livez`)).status).toBe(200);
      expect((await fetch(`${app.baseUrl}/api/v1/articles`)).status).toBe(200);

      hold.open();
      released = true;
      const answered = await Promise.all(admitted);
      expect(answered.map((res) => res.status)).toEqual([201, 201, 201]);
      expect(finished.slice(4)).toEqual(['admitted', 'admitted', 'admitted']);
      // Exactly the admitted ones were stored.
      const listed = await clients[0]!.get(path);
      expect(listed.status).toBe(200);
      expect(JSON.stringify(listed.body)).not.toContain('excess');
      for (const i of [0, 1, 2]) expect(JSON.stringify(listed.body)).toContain(`admitted ${i}`);

      // The slots are free again: the next write is accepted.
      expect(await writeSlots(app, 'in_progress')).toBe(0);
      expect((await clients[3]!.post(path, { body: 'after the burst' })).status).toBe(201);
    } finally {
      if (!released) hold.open();
    }
  }, 90_000);

  it('gives no slot to a client still sending its body, so slow uploads cannot crowd out writes', async () => {
    app = await startTestApp(dialect, { ...READ_METRICS, SHED_MAX_WRITES: '2' });
    const port = Number(new URL(app.baseUrl).port);
    const slow = [await slowWrite(port), await slowWrite(port), await slowWrite(port)];
    try {
      // The server has the three requests' headers (their route is known) and waits for their bodies.
      await new Promise((r) => setTimeout(r, 200));
      expect(await writeSlots(app, 'in_progress')).toBe(0);
      const res = await post(app);
      expect([400, 401]).toContain(res.status);
    } finally {
      for (const socket of slow) socket.destroy();
    }
  }, 30_000);
});

/** Holds the event loop for `ms`: nothing else runs meanwhile. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // Saturate.
  }
}

/**
 * One long pause (start-up compiling, a big import) is not saturation; busy slices of `sliceMs` with
 * `turn` between them (requests are still read and answered then) are, until they stop. Returns the
 * refusal it waited for.
 */
async function expectShedWhileBusy(app: TestApp, sliceMs: number, turn: () => Promise<unknown>): Promise<Response> {
  busy(1500);
  await new Promise((r) => setTimeout(r, 50));
  expect((await post(app)).status).not.toBe(503);
  let loading = true;
  const load = (async () => {
    while (loading) {
      busy(sliceMs);
      await turn();
    }
  })();
  try {
    const refused = await waitFor(async () => {
      const res = await post(app);
      return res.status === 503 ? res : null;
    }, 'a write to be shed', 10_000);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ error: { code: 'overloaded' } });
    // Reads are still answered.
    expect((await fetch(`${app.baseUrl}/livez`)).status).toBe(200);
    return refused;
  } finally {
    loading = false;
    await load;
    await waitFor(async () => (await post(app)).status !== 503, 'writes to be accepted again', 10_000);
  }
}

describe('load shedding when the event loop is saturated', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('refuses writes while the event loop lags past SHED_EVENT_LOOP_DELAY_MS for two windows, and not after one long pause', async () => {
    app = await startTestApp('sqlite', { ...READ_METRICS, SHED_EVENT_LOOP_DELAY_MS: '60' });
    // 100 ms slices with only a turn of the loop between them: every timer is late.
    await expectShedWhileBusy(app, 100, () => new Promise((r) => setImmediate(r)));
    expect(await shedCount(app, 'eventLoopDelay')).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('refuses writes while the loop is busy past SHED_EVENT_LOOP_UTILIZATION for two windows, though it never lags, and not after one long pause', async () => {
    app = await startTestApp('sqlite', { ...READ_METRICS, SHED_EVENT_LOOP_UTILIZATION: '0.7', SHED_EVENT_LOOP_DELAY_MS: '60000' });
    // 90 % busy in 18 ms slices: every request is answered within a slice, yet nothing is left idle.
    await expectShedWhileBusy(app, 18, () => new Promise((r) => setTimeout(r, 2)));
    expect(await shedCount(app, 'eventLoopBusy')).toBeGreaterThanOrEqual(1);
    expect(await shedCount(app, 'eventLoopDelay')).toBe(0);
  }, 30_000);
});

describe('the ceiling on the rate of writes', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const ceiling = async (app: TestApp) => {
    const value = /^parley_write_rate_ceiling (\S+)$/m.exec(await opsState(app.ctx).metrics!.registry.getSingleMetricAsString('parley_write_rate_ceiling'))?.[1];
    return value === '+Inf' ? Infinity : Number(value);
  };

  it('comes down while writes are refused and the loop is busier than SHED_WRITE_RATE_UTILIZATION, refuses the writes beyond it, and is lifted when the loop is calm', async () => {
    // Only the ceiling sheds here (the rules on the loop are off).
    app = await startTestApp('sqlite', { ...READ_METRICS, SHED_EVENT_LOOP_UTILIZATION: '1', SHED_EVENT_LOOP_DELAY_MS: '60000', SHED_WRITE_RATE_UTILIZATION: '0.5' });
    const rate = opsState(app.ctx).writeRate!;
    expect(await ceiling(app)).toBe(Infinity);
    // Busy but refusing nothing (no other rule saw saturation): no ceiling.
    let loading = true;
    let saturated = false;
    const load = (async () => {
      while (loading) {
        busy(18);
        // What another rule does when it refuses a write (write admission, the loop, live delivery).
        if (saturated) rate.noteSaturation();
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const writers = Array.from({ length: 4 }, async () => {
      while (loading) await (await post(app!)).arrayBuffer();
    });
    try {
      await new Promise((r) => setTimeout(r, 600));
      expect(await ceiling(app)).toBe(Infinity);
      saturated = true;
      await waitFor(async () => (await shedCount(app!, 'writeRate')) > 0, 'a write refused for the rate', 15_000);
      const during = await ceiling(app);
      expect(during).toBeGreaterThanOrEqual(5);
      expect(during).toBeLessThan(Infinity);
    } finally {
      loading = false;
      await load;
      await Promise.all(writers);
    }
    // Two calm seconds without a write held back lift it; writes are accepted meanwhile.
    await waitFor(async () => (await ceiling(app!)) === Infinity, 'the ceiling to be lifted', 10_000);
    expect((await post(app)).status).not.toBe(503);
  }, 40_000);
});

describe('load shedding when live delivery falls behind', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('refuses writes while the live hub is more than SHED_LIVE_DELAY_MS behind in writing comments to open pages, then accepts them again', async () => {
    app = await startTestApp('sqlite', { ...READ_METRICS, SHED_LIVE_DELAY_MS: '100' });
    const { clients, path } = await conversation(app, 3);
    const live = new AbortController();
    const stream = await fetch(`${app.baseUrl}${path.replace(/comments$/, 'live')}`, { headers: { accept: 'text/event-stream' }, signal: live.signal });
    expect(stream.status).toBe(200);
    const received: string[] = [];
    void (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of stream.body!) received.push(decoder.decode(chunk as Uint8Array));
    })().catch(() => undefined);
    // The hub's writes to the open pages wait until `release()`, as they do behind thousands of readers.
    const hub = liveHub(app.ctx) as unknown as { flush(outgoing: Map<unknown, string>): Promise<void> };
    const flush = hub.flush.bind(hub);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    hub.flush = async (outgoing) => {
      await gate;
      return flush(outgoing);
    };
    try {
      // Accepted: the live hub is not behind yet.
      expect((await clients[0]!.post(path, { body: 'first while delivery stalls' })).status).toBe(201);
      await new Promise((r) => setTimeout(r, 250));
      const refused = await clients[1]!.post(path, { body: 'refused while delivery stalls' });
      expect(refused.status).toBe(503);
      expect(refused.res.headers.get('retry-after')).toBe('5');
      expect(refused.body).toMatchObject({ error: { code: 'overloaded' } });
      expect(await shedCount(app, 'liveDelivery')).toBe(1);
      // Reads go on.
      expect((await clients[1]!.get(path)).status).toBe(200);
    } finally {
      hub.flush = flush;
      release();
    }
    // Delivered once released, and writes are accepted again.
    await waitFor(async () => received.join('').includes('first while delivery stalls'), 'the held comment to reach the open page');
    expect((await clients[2]!.post(path, { body: 'accepted after delivery caught up' })).status).toBe(201);
    expect(received.join('')).not.toContain('refused while delivery stalls');
    live.abort();
  }, 30_000);
});

describe.runIf(pgUrl)('load shedding when writes queue in the database', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('refuses new writes while every write has taken longer than SHED_WRITE_LATENCY_MS, and accepts again once they are fast', async () => {
    app = await startTestApp('postgres', { ...READ_METRICS, SHED_WRITE_LATENCY_MS: '200' });
    const draft = await parseArticleFile(fs.readFileSync(EXAMPLE_FILE), EXAMPLE_FILE, { publicationName: 'The Independent' });
    const { article } = await importArticle(app.ctx, draft);
    await setSetting(app.ctx.db.kysely, 'commentIntervalSeconds', 0);
    await setSetting(app.ctx.db.kysely, 'spamHoldThreshold', 1);
    const clients = await Promise.all([0, 1, 2].map(async () => signedInClient(app!.ctx, app!.baseUrl, await createTestUser(app!.ctx))));
    for (const client of clients) await client.csrfToken();
    const path = `/api/v1/articles/${article.slug}/comments`;

    // Another session holds the comments table: a write that needs it waits in the database.
    const admin = new pg.Client({ connectionString: pgUrl! });
    await admin.connect();
    await admin.query('begin');
    await admin.query(`lock table ${app.ctx.db.pgSchema}.comments in access exclusive mode`);
    let released = false;
    try {
      const stuck = clients[0]!.post(path, { body: 'waits behind the lock' });
      // A write waiting past the target for a whole window (half a second) means a queue: the next
      // write is refused at once instead of joining it.
      await new Promise((r) => setTimeout(r, 1500));
      const refused = await clients[1]!.post(path, { body: 'refused while the queue stands' });
      expect(refused.status).toBe(503);
      expect(refused.res.headers.get('retry-after')).toBe('5');
      expect(refused.body).toMatchObject({ error: { code: 'overloaded' } });
      expect(await shedCount(app, 'writeLatency')).toBeGreaterThanOrEqual(1);
      await admin.query('rollback');
      released = true;
      // Nothing accepted is lost: the write that waited is answered.
      expect((await stuck).status).toBe(201);
      const accepted = await waitFor(async () => {
        const res = await clients[2]!.post(path, { body: `after the queue drained ${Math.random()}` });
        return res.status === 201 ? res : null;
      }, 'writes to be accepted again', 10_000);
      expect(accepted.status).toBe(201);
    } finally {
      if (!released) await admin.query('rollback').catch(() => undefined);
      await admin.end();
    }
  }, 30_000);
});
