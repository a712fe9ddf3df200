import { describe, expect, it } from 'vitest';
import { WriteRate } from './write-rate.ts';

// The ceiling's decisions on a clock the test moves and utilisations the test gives: when it starts,
// how it comes down and goes up, and that it admits no burst.

function make(targetUtilization = 0.85) {
  const state = { clock: 0, probed: 0.5 };
  const rate = new WriteRate({ targetUtilization, now: () => state.clock, timer: false, probe: () => state.probed });
  /** Offers `writes` spread over a 100 ms window, then ends the window at `utilization`; the writes admitted. */
  const window = (writes: number, utilization: number, options: { saturated?: boolean } = {}) => {
    let admitted = 0;
    // The loop is as busy within the window as over it.
    state.probed = utilization;
    for (let i = 0; i < writes; i++) {
      state.clock += 100 / writes;
      if (rate.take()) admitted++;
    }
    if (writes === 0) state.clock += 100;
    if (options.saturated) rate.noteSaturation();
    rate.adapt(utilization);
    return admitted;
  };
  return { rate, window, state };
}

describe('WriteRate', () => {
  it('sets no ceiling while the loop is under its target, however many writes come', () => {
    const { rate, window } = make();
    for (let i = 0; i < 20; i++) expect(window(200, 0.6)).toBe(200);
    expect(rate.ceiling).toBe(Infinity);
  });

  it('sets no ceiling for a busy loop that refuses nothing: readers connecting, a fan-out run, a quiet site', () => {
    const { rate, window } = make();
    // Busy with other work, two writes a window, no other rule refusing: the writes are not the cause.
    for (let i = 0; i < 10; i++) window(2, 1);
    expect(rate.ceiling).toBe(Infinity);
  });

  it('starts at the first refusal by another rule, at twice the rate admitted while the loop was calm', () => {
    const { rate, window } = make();
    // 20 writes a window (200 a second) on a calm loop, for a few seconds.
    for (let i = 0; i < 40; i++) window(20, 0.5);
    expect(rate.ceiling).toBe(Infinity);
    rate.noteSaturation();
    expect(rate.ceiling).toBeGreaterThan(2 * 200 * 0.95);
    expect(rate.ceiling).toBeLessThanOrEqual(2 * 200);
  });

  it('starts when writes queue for slots while the loop stays busier than its target, not in a burst a calm loop absorbs', () => {
    const state = { clock: 0, probed: 0.5 };
    const rate = new WriteRate({ targetUtilization: 0.85, now: () => state.clock, timer: false, probe: () => state.probed });
    for (let i = 0; i < 30; i++) {
      state.clock += 100;
      for (let j = 0; j < 2; j++) rate.take();
      rate.adapt(0.4);
    }
    // A burst: writes queue within a few milliseconds of each other; the loop is not judged.
    rate.noteQueueing();
    state.clock += 5;
    state.probed = 1;
    rate.noteQueueing();
    expect(rate.ceiling).toBe(Infinity);
    // Writes still queueing 30 ms later on a loop that was calm meanwhile: no ceiling.
    state.clock += 30;
    state.probed = 0.6;
    rate.noteQueueing();
    expect(rate.ceiling).toBe(Infinity);
    // A reading long after (a quiet spell between) says nothing of now.
    state.clock += 1000;
    state.probed = 1;
    rate.noteQueueing();
    expect(rate.ceiling).toBe(Infinity);
    // Still queueing 25 ms on, and the loop was busy all along: saturated, twice the calm rate (20 a second).
    state.clock += 25;
    rate.noteQueueing();
    expect(rate.ceiling).toBeGreaterThan(30);
    expect(rate.ceiling).toBeLessThanOrEqual(40);
  });

  it('starts within tens of milliseconds when writes pour in on a loop over its target, before any queues or is refused', () => {
    const { rate, window, state } = make();
    for (let i = 0; i < 30; i++) window(2, 0.4);
    // 1,500 writes a second, and the loop busy from their start.
    state.probed = 1;
    let offered = 0;
    while (rate.ceiling === Infinity && offered < 1500) {
      state.clock += 1000 / 1500;
      rate.take();
      offered++;
    }
    // The first reading after a quiet spell says nothing; the next, 20 ms on, judges.
    expect(offered).toBeLessThan(60);
    expect(rate.ceiling).toBeGreaterThanOrEqual(5);
    expect(rate.ceiling).toBeLessThanOrEqual(40);
  });

  it('sets no ceiling for writes at their usual pace or a few dozen a second on a busy loop, nor for a fast burst on a calm one', () => {
    const { rate, window } = make();
    // A start: the loop busy from the first moment, with 50 writes a second.
    for (let i = 0; i < 10; i++) window(5, 1);
    expect(rate.ceiling).toBe(Infinity);
    // 200 writes a second while calm; the loop then busy with something else, the writes unchanged.
    for (let i = 0; i < 40; i++) window(20, 0.5);
    for (let i = 0; i < 10; i++) window(20, 1);
    expect(rate.ceiling).toBe(Infinity);
    // Ten times as many writes on a loop that keeps under its target.
    for (let i = 0; i < 10; i++) window(200, 0.6);
    expect(rate.ceiling).toBe(Infinity);
  });

  it('sets no ceiling for writes at one steady pace over a hundred a second on a loop busy from the start, and does once they come much faster', () => {
    const { rate, window } = make();
    // Closed-loop writers on a loop busy with other work since the start: 150 writes a second.
    for (let i = 0; i < 10; i++) window(15, 1);
    expect(rate.ceiling).toBe(Infinity);
    // Then ten times as many.
    window(150, 1);
    expect(rate.ceiling).toBeLessThan(Infinity);
  });

  it('starts at five writes a second on a site that had none', () => {
    const { rate, window } = make();
    window(0, 0.1);
    rate.noteSaturation();
    expect(rate.ceiling).toBe(5);
  });

  it('comes down from the rate admitted while the loop stays over its target, a cut at most every 200 ms', () => {
    const { rate, window } = make();
    for (let i = 0; i < 40; i++) window(20, 0.5);
    rate.noteSaturation();
    // The loop judged over three windows: over the target from the third busy one.
    window(100, 1);
    window(100, 1);
    const before = rate.ceiling;
    const admitted = window(100, 1);
    // The bucket admitted about the ceiling's rate over the window (no burst).
    expect(admitted).toBeLessThanOrEqual(Math.ceil(before / 10) + 1);
    expect(rate.ceiling).toBeCloseTo(Math.min(before, admitted * 10) * 0.7, 5);
    const cut = rate.ceiling;
    // Within the hold: no second cut yet.
    window(100, 1);
    expect(rate.ceiling).toBe(cut);
    const next = window(100, 1);
    expect(rate.ceiling).toBeCloseTo(Math.min(cut, next * 10) * 0.7, 5);
  });

  it('admits at most the ceiling, without a burst after a quiet spell', () => {
    const { rate, window, state } = make();
    window(5, 0.5);
    rate.noteSaturation();
    for (let i = 0; i < 6; i++) window(20, 1);
    const ceiling = rate.ceiling;
    expect(ceiling).toBeLessThan(100);
    // A second with nothing offered fills the bucket only to its burst (a twentieth of a second's worth).
    state.clock += 1000;
    let admitted = 0;
    for (let i = 0; i < 100; i++) if (rate.take()) admitted++;
    expect(admitted).toBe(Math.floor(Math.max(1, ceiling * 0.05)));
    // Offered at 1,000 a second for a second, it admits about the ceiling's worth.
    admitted = 0;
    for (let i = 0; i < 1000; i++) {
      state.clock += 1;
      if (rate.take()) admitted++;
    }
    expect(admitted).toBeGreaterThanOrEqual(Math.floor(ceiling) - 1);
    expect(admitted).toBeLessThanOrEqual(Math.ceil(ceiling) + 1);
  });

  it('never comes down below five writes a second', () => {
    const { rate, window } = make();
    for (let i = 0; i < 40; i++) window(20, 0.5);
    rate.noteSaturation();
    for (let i = 0; i < 80; i++) window(20, 1);
    expect(rate.ceiling).toBe(5);
  });

  it('goes up while it refuses writes on a loop under its target, and is lifted after two calm seconds', () => {
    const { rate, window } = make();
    for (let i = 0; i < 40; i++) window(5, 0.5);
    rate.noteSaturation();
    const start = rate.ceiling;
    // Demand above the ceiling, loop under the target: a twentieth more each window (at least 2 a second).
    window(100, 0.5);
    expect(rate.ceiling).toBeCloseTo(start + Math.max(2, start * 0.05), 5);
    for (let i = 0; i < 5; i++) window(100, 0.5);
    expect(rate.ceiling).toBeGreaterThan(start * 1.25);
    // Demand within the ceiling and a calm loop: lifted after 20 such windows, not before.
    for (let i = 0; i < 19; i++) window(1, 0.3);
    expect(rate.ceiling).not.toBe(Infinity);
    window(1, 0.3);
    expect(rate.ceiling).toBe(Infinity);
  });

  it('judges the loop over the last three windows: one busy window among calm ones is not a cut', () => {
    const { rate, window } = make();
    for (let i = 0; i < 40; i++) window(20, 0.5);
    rate.noteSaturation();
    const start = rate.ceiling;
    window(10, 0.5);
    window(10, 0.5);
    window(10, 0.5);
    // 0.5, 0.5, 0.95 average 0.65: under the target.
    window(10, 0.95);
    expect(rate.ceiling).toBe(start);
    // Three busy ones are.
    window(10, 0.95);
    window(10, 0.95);
    expect(rate.ceiling).toBeLessThan(start);
  });

  it('is never a ceiling when the target is 1 (load shedding by utilisation off)', () => {
    const { rate, window } = make(1);
    for (let i = 0; i < 10; i++) window(100, 1, { saturated: true });
    rate.noteSaturation();
    expect(rate.ceiling).toBe(Infinity);
  });
});
