import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WriteAdmission, type Release } from './write-admission.ts';

// The admission decisions on a clock the test moves: which writes get a slot, which wait, which are
// refused, and how the limit follows the answer times.

let clock = 0;
let admission: WriteAdmission;
const make = (maxLimit: number, targetMs = 100, queueMs = 20) =>
  (admission = new WriteAdmission({ maxLimit, targetMs, queueMs, windowMs: 250, now: () => clock }));

beforeEach(() => {
  vi.useFakeTimers();
  clock = 0;
});
afterEach(() => {
  admission?.stop();
  vi.useRealTimers();
});

const take = (n: number) => Array.from({ length: n }, () => admission.acquire() as Release);

/** Answers writes after `ms` each, then reconsiders the limit. */
function window(slots: Release[], ms: number): void {
  clock += ms;
  for (const release of slots) release();
  admission.adapt();
}

/** A window in which every slot was taken and one more write had to wait (and was refused); the writes are answered after `ms`. */
function saturatedWindow(ms: number): void {
  const slots = take(admission.limit);
  void admission.acquire();
  vi.advanceTimersByTime(100);
  window(slots, ms);
}

const settled = async (promise: unknown) => {
  let done = false;
  void Promise.resolve(promise).then(() => (done = true));
  await Promise.resolve();
  await Promise.resolve();
  return done;
};

describe('WriteAdmission', () => {
  it('gives slots at once up to the limit; the next waits for a slot up to the target, and once one was refused, the next only briefly', async () => {
    make(3, 100, 20);
    const slots = take(3);
    expect(slots.every((s) => typeof s === 'function')).toBe(true);
    expect(admission.writesInProgress).toBe(3);

    const burst = admission.acquire();
    expect(burst).toBeInstanceOf(Promise);
    expect(admission.writesWaiting).toBe(1);
    vi.advanceTimersByTime(90);
    expect(await settled(burst)).toBe(false);
    vi.advanceTimersByTime(10);
    expect(await burst).toBeNull();

    const saturated = admission.acquire();
    vi.advanceTimersByTime(20);
    expect(await saturated).toBeNull();
    expect(admission.writesWaiting).toBe(0);
    expect(admission.writesInProgress).toBe(3);
  });

  it('hands a freed slot to the write that waited first', async () => {
    make(2);
    const [first] = take(2);
    const a = admission.acquire() as Promise<Release | null>;
    const b = admission.acquire() as Promise<Release | null>;
    first!();
    expect(typeof (await a)).toBe('function');
    vi.advanceTimersByTime(100);
    expect(await b).toBeNull();
    expect(admission.writesInProgress).toBe(2);
  });

  it('refuses before the body is read once the slots and the wait for them are full', () => {
    make(2);
    take(2);
    expect(admission.refuseEarly()).toBeNull();
    void admission.acquire();
    void admission.acquire();
    expect(admission.refuseEarly()).toBe('writesInProgress');
    // A third waiter is not queued at all.
    expect(admission.acquire()).toBeNull();
  });

  it('past saturation, refuses before the body is read as long as every slot is taken', async () => {
    make(2);
    const [first] = take(2);
    // A burst on a server that keeps up: the next write is let in to wait for a slot.
    expect(admission.refuseEarly()).toBeNull();
    const waited = admission.acquire();
    vi.advanceTimersByTime(100);
    expect(await waited).toBeNull();
    // One was refused: with no free slot, the next is refused unread.
    expect(admission.refuseEarly()).toBe('writesInProgress');
    first!();
    // A slot is free again: the next write is read.
    expect(admission.refuseEarly()).toBeNull();
    take(1);
    // Once the window since the last refusal has passed, a full house lets writes wait again.
    clock += 300;
    expect(admission.refuseEarly()).toBeNull();
  });

  it('after a write refused for another reason (the loop busy), one that finds no slot is refused unread or after a short wait, not the target', async () => {
    make(2, 100, 20);
    take(2);
    admission.noteRefusal();
    expect(admission.refuseEarly()).toBe('writesInProgress');
    // One whose body was already read waits only the short wait.
    const read = admission.acquire();
    vi.advanceTimersByTime(20);
    expect(await read).toBeNull();
  });

  it('once a write is refused, the writes that were waiting for the target from before wait only the short wait', async () => {
    make(2, 100, 20);
    take(2);
    // The first moments of an overload: a burst waits its turn, for up to the target.
    const early = [admission.acquire(), admission.acquire()];
    vi.advanceTimersByTime(10);
    admission.noteRefusal();
    vi.advanceTimersByTime(19);
    expect(await settled(early[0])).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await Promise.all(early)).toEqual([null, null]);
    expect(admission.writesWaiting).toBe(0);
  });

  it('a release counts once, however often it is called', () => {
    make(2);
    const [slot] = take(1);
    slot!();
    slot!();
    expect(admission.writesInProgress).toBe(0);
    take(2);
    expect(admission.writesInProgress).toBe(2);
  });

  it('shrinks the limit to what the measured rate answers within the target when writes wait for slots and are slow', () => {
    make(64, 100);
    expect(admission.limit).toBe(64);
    // 64 writes answered in 400 ms: 160 per second, so 16 in progress would be answered within 100 ms.
    saturatedWindow(400);
    expect(admission.limit).toBe(16);
    saturatedWindow(400);
    expect(admission.limit).toBe(4);
    // A little slower than the target: shrinks by as much as it was over (4 × 100 / 120).
    saturatedWindow(120);
    expect(admission.limit).toBe(3);
    saturatedWindow(400);
    expect(admission.limit).toBe(2);
    // Never below two.
    saturatedWindow(1000);
    expect(admission.limit).toBe(2);
  });

  it('does not cut the limit to the rate when writes are slow but none waited for a slot (slow work, not a queue)', () => {
    make(64, 100);
    window(take(3), 400);
    // Only halved as unused; the rate (3 answers in 400 ms) would have cut it to 2.
    expect(admission.limit).toBe(32);
  });

  it('brings an unused limit down towards twice the writes in use, halfway each window, never below 8 or SHED_MAX_WRITES', () => {
    make(64, 100);
    const limits: number[] = [];
    for (let i = 0; i < 4; i++) {
      window(take(3), 10);
      limits.push(admission.limit);
    }
    expect(limits).toEqual([32, 16, 8, 8]);
    // Twice the peak in use, when that is more.
    make(64, 100);
    window(take(20), 10);
    window(take(20), 10);
    expect(admission.limit).toBe(40);
    // A small SHED_MAX_WRITES stays what it is.
    make(3, 100);
    window(take(1), 10);
    expect(admission.limit).toBe(3);
    // And a limit brought down still grows back once it holds writes back.
    make(64, 100);
    for (let i = 0; i < 3; i++) window(take(2), 10);
    expect(admission.limit).toBe(8);
    saturatedWindow(10);
    expect(admission.limit).toBe(10);
  });

  it('grows the limit when writes are fast and the limit held them back, never past SHED_MAX_WRITES', () => {
    make(24, 100);
    saturatedWindow(400);
    expect(admission.limit).toBe(6);
    // Fast but nobody waited for a slot: no reason to grow.
    window(take(6), 10);
    expect(admission.limit).toBe(6);
    const limits: number[] = [];
    for (let i = 0; i < 6; i++) {
      saturatedWindow(10);
      limits.push(admission.limit);
    }
    expect(limits).toEqual([8, 10, 13, 17, 22, 24]);
  });

  it('refuses early while writes are stuck (the oldest in progress for 4× the target and nothing fast lately), not for one slow write among fast ones', () => {
    make(16, 100);
    const [slow] = take(1);
    clock += 450;
    // Nothing has been answered since the start, and the only write is past four times the target.
    expect(admission.refuseEarly()).toBe('writeLatency');
    // A fast write is answered meanwhile: the slow one alone is not a queue.
    const [fast] = take(1);
    clock += 5;
    fast!();
    expect(admission.refuseEarly()).toBeNull();
    clock += 500;
    expect(admission.refuseEarly()).toBe('writeLatency');
    slow!();
    expect(admission.refuseEarly()).toBeNull();
  });

  it('halves the limit when a whole window passes with no answer while writes are stuck', () => {
    make(64, 100);
    take(1);
    clock += 500;
    admission.adapt();
    expect(admission.limit).toBe(32);
  });

  it('stop() refuses the writes still waiting', async () => {
    make(1);
    take(2);
    const waiting = admission.acquire();
    admission.stop();
    expect(await waiting).toBeNull();
  });
});
