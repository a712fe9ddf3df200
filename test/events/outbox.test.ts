import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/events/command.ts';
import type { CommitNotice } from '../../src/events/bus.ts';
import { groupCommitter } from '../../src/events/group-commit.ts';
import { eventFromCommit, lastEventId, readEventsAfter } from '../../src/events/outbox.ts';
import { waitFor } from '../helpers/wait.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';

describe.each(dialects)('the transactional outbox on %s', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(dialect);
  });
  afterAll(async () => app?.close());

  it('commits a change and its events together and wakes subscribers after the commit', async () => {
    const before = await lastEventId(app.ctx.db.kysely);
    let wokenWith = -1;
    const unsubscribe = app.ctx.bus.subscribe(() => {
      void lastEventId(app.ctx.db.kysely).then((id) => (wokenWith = id));
    });
    await runCommand(app.ctx, async (tx) => {
      tx.emit({ type: 'test.happened', stream: 'test:1', actorId: null, payload: { n: 1 } });
      tx.emit({ type: 'test.happened', stream: 'test:1', actorId: null, payload: { n: 2 } });
    });
    // The subscriber's own read of the last id takes a moment on a loaded machine: wait for it, not a fixed time.
    await waitFor(() => wokenWith !== -1, 'the subscriber to read the last event id');
    unsubscribe();
    const events = await readEventsAfter(app.ctx.db.kysely, before, { stream: 'test:1' });
    expect(events.map((e) => e.payload)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(events[1]!.id).toBeGreaterThan(events[0]!.id);
    expect(wokenWith).toBe(events[1]!.id);
  });

  it('writes no event and wakes nobody when the change fails', async () => {
    const before = await lastEventId(app.ctx.db.kysely);
    let woken = 0;
    const unsubscribe = app.ctx.bus.subscribe(() => woken++);
    await expect(
      runCommand(app.ctx, async (tx) => {
        await tx.db.updateTable('articles').set({ headline: 'x' }).where('id', '=', -1).execute();
        tx.emit({ type: 'test.failed', stream: 'test:2', actorId: null, payload: {} });
        throw new Error('the change is refused');
      }),
    ).rejects.toThrow('the change is refused');
    unsubscribe();
    expect(await lastEventId(app.ctx.db.kysely)).toBe(before);
    expect(woken).toBe(0);
  });

  it('runs a change again when the database aborted it for a conflict with another (a deadlock), keeping only the run that committed', async () => {
    const before = await lastEventId(app.ctx.db.kysely);
    const conflict = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });
    let runs = 0;
    const value = await runCommand(app.ctx, async (tx) => {
      runs++;
      tx.emit({ type: 'test.retried', stream: 'test:retry', actorId: null, payload: { run: runs } });
      if (runs === 1) throw conflict();
      return 'done';
    });
    expect(value).toBe('done');
    expect(runs).toBe(2);
    expect((await readEventsAfter(app.ctx.db.kysely, before, { stream: 'test:retry' })).map((e) => e.payload)).toEqual([{ run: 2 }]);
    // Not for ever: the third conflict in a row is the writer's error.
    let attempts = 0;
    await expect(
      runCommand(app.ctx, async () => {
        attempts++;
        throw conflict();
      }),
    ).rejects.toThrow('deadlock detected');
    expect(attempts).toBe(3);
    // A change that failed for what it is (here a constraint) is not run again.
    let once = 0;
    await expect(
      runCommand(app.ctx, async (tx) => {
        once++;
        await tx.db.insertInto('articles').values({ id: -5 } as never).execute();
      }),
    ).rejects.toThrow();
    expect(once).toBe(1);
  });

  it('writes many events of one change in their order, with their payloads', async () => {
    const before = await lastEventId(app.ctx.db.kysely);
    // More than one prepared statement's worth of rows (outbox.ts writes them in chunks).
    await runCommand(app.ctx, async (tx) => {
      for (let n = 0; n < 37; n++) tx.emit({ type: 'test.many', stream: 'test:many', actorId: n % 2 ? null : 7, payload: { n } });
    });
    const events = await readEventsAfter(app.ctx.db.kysely, before, { stream: 'test:many' });
    expect(events.map((e) => e.payload.n)).toEqual(Array.from({ length: 37 }, (_, n) => n));
    expect(events.map((e) => e.actorId)).toEqual(Array.from({ length: 37 }, (_, n) => (n % 2 ? null : 7)));
    expect(events.every((e, i) => i === 0 || e.id > events[i - 1]!.id)).toBe(true);
  });

  it("tells this process's followers what a commit appended, as the table holds it (SQLite), or that something committed (PostgreSQL)", async () => {
    const notices: (CommitNotice | null)[] = [];
    const unsubscribe = app.ctx.bus.subscribe((notice) => notices.push(notice));
    const before = await lastEventId(app.ctx.db.kysely);
    const at = new Date('2026-12-04T10:00:00Z');
    // More than one statement's worth of rows, by a plain command and by the group committer.
    await runCommand(app.ctx, async (tx) => {
      for (let n = 0; n < 20; n++) tx.emit({ type: 'test.notice', stream: 'test:notice', actorId: n % 2 ? null : 7, payload: { n, at, gone: undefined } });
    });
    await Promise.all([1, 2, 3].map((n) => groupCommitter(app.ctx).run(async (tx) => tx.emit({ type: 'test.grouped', stream: 'test:notice', payload: { n } }))));
    await runCommand(app.ctx, async (tx) => tx.wake());
    unsubscribe();
    const stored = await readEventsAfter(app.ctx.db.kysely, before, { stream: 'test:notice' });
    expect(stored).toHaveLength(23);
    if (dialect === 'postgres') {
      expect(notices.every((notice) => notice === null)).toBe(true);
      return;
    }
    // The payload as a read would give it: JSON's copy (a date as its string, no undefined), not the object emitted.
    const ours = notices.filter((notice) => notice!.events.some((e) => e.stream === 'test:notice'));
    expect(ours.flatMap((notice) => notice!.events.map(eventFromCommit))).toEqual(stored);
    // A commit without events still wakes (the job runner looks for jobs), with nothing to hand over.
    expect(notices.at(-1)).toEqual({ events: [] });
  });

  it('filters by stream and type and resumes after a given id', async () => {
    const start = await lastEventId(app.ctx.db.kysely);
    for (let i = 0; i < 5; i++) {
      await runCommand(app.ctx, async (tx) => tx.emit({ type: i % 2 ? 'odd' : 'even', stream: `s:${i % 2}`, payload: { i } }));
    }
    const odd = await readEventsAfter(app.ctx.db.kysely, start, { stream: 's:1' });
    expect(odd.map((e) => e.payload.i)).toEqual([1, 3]);
    const resumed = await readEventsAfter(app.ctx.db.kysely, odd[0]!.id, { types: ['odd'] });
    expect(resumed.map((e) => e.payload.i)).toEqual([3]);
  });
});
