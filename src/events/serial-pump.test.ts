import { describe, expect, it } from 'vitest';
import { SerialPump } from './serial-pump.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('SerialPump', () => {
  it('never overlaps runs and folds any number of requests during a run into one more run', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const pump = new SerialPump(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      runs++;
      await tick();
      active--;
    });
    pump.request();
    for (let i = 0; i < 10; i++) pump.request();
    await pump.idle();
    expect(maxActive).toBe(1);
    expect(runs).toBe(2);
  });

  it('reports errors to settle, which decides whether to run again', async () => {
    const outcomes: [string | null, boolean][] = [];
    let fail = true;
    const pump = new SerialPump(
      async () => {
        await tick();
        if (fail) throw new Error('boom');
      },
      (error, again) => {
        outcomes.push([error ? (error as Error).message : null, again]);
        fail = false;
        return outcomes.length === 1; // retry once after the failure
      },
    );
    pump.request();
    await pump.idle();
    expect(outcomes).toEqual([
      ['boom', false],
      [null, false],
    ]);
  });

  it('runs once after a delay, a later delay replacing the earlier, and not at all once stopped', async () => {
    const log: string[] = [];
    const pump = new SerialPump(async () => void log.push('run'));
    pump.requestAfter(30, () => log.push('first'));
    pump.requestAfter(10, () => log.push('second'));
    await new Promise((r) => setTimeout(r, 60));
    await pump.idle();
    expect(log).toEqual(['second', 'run']);
    pump.requestAfter(10, () => log.push('third'));
    await pump.stop();
    await new Promise((r) => setTimeout(r, 30));
    expect(log).toEqual(['second', 'run']);
  });

  it('caughtUp waits for a run begun after every request so far, and not for requests made later', async () => {
    const started: number[] = [];
    let release: (() => void)[] = [];
    const pump = new SerialPump(() => new Promise<void>((r) => (started.push(started.length), release.push(r))));
    expect(pump.caughtUp()).toBeNull();
    pump.request(); // run 0 begins
    pump.request(); // folded into run 1, after run 0
    let done = false;
    void pump.caughtUp()!.then(() => (done = true));
    release.shift()!();
    await tick();
    // Run 0 began before the second request: still waiting, now on run 1.
    expect(done).toBe(false);
    expect(started).toEqual([0, 1]);
    pump.request(); // a request after caughtUp() was asked: run 2, which it does not wait for
    release.shift()!();
    await tick();
    expect(done).toBe(true);
    expect(pump.caughtUp()).not.toBeNull();
    release.shift()!();
    await pump.idle();
    expect(pump.caughtUp()).toBeNull();
    release = [];
  });
});
