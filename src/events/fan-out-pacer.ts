// How much of the event loop the live fan-out (live.ts) may take. Writing a comment to thousands of
// open pages costs far more than answering its POST; run back to back under a stream of comments, the
// fan-out would take the whole event loop, and every request — the POSTs, the shed 503s, the pages —
// would wait in the socket buffers however well the writes are shed. So:
// - within a run, the loop turns after every SLICE_MS of work, so requests are answered meanwhile. The
//   cost grows with the open pages and with the bytes each is owed, so the bound is of time, not of a
//   count of pages: under a stream of comments, 200 pages at a time held the loop 80 ms;
// - after a run, the next waits as long as the run kept the loop busy (up to MAX_PAUSE_MS), so the
//   fan-out takes at most about half of the loop; and a run that was expensive at all starts the next
//   one a PERIOD_MS after it began, so that thousands of open pages get at most ten writes a second
//   however many comments arrive. The events that arrive meanwhile go out together in the next run, one
//   write per page, and the delivery lag that load shedding watches grows instead of the queue in front
//   of the server. A small site's cheap runs never wait.

const SLICE_MS = 4;
/** The longest pause between two runs, however long the last one took. */
const MAX_PAUSE_MS = 250;
/** A run that held the loop this long (many open pages) starts the next one no sooner than PERIOD_MS after it began. */
const EXPENSIVE_RUN_MS = 8;
const PERIOD_MS = 100;
/** Pages written between two looks at the clock. */
const WRITES_PER_LOOK = 16;

/** Resolves once the process.nextTick callbacks queued before it have run. */
const afterQueuedTicks = () => new Promise<void>((resolve) => process.nextTick(resolve));

export class FanOutPacer {
  /** No run starts before this time. */
  private resumeAt = 0;
  /** Time the run in progress has held the event loop (its await points excluded), in milliseconds. */
  private runBusyMs = 0;
  /** When the run's current slice of the event loop began. */
  private sliceStart = 0;

  /** Milliseconds until the next run may start (less than 1: now). */
  waitMs(): number {
    return this.resumeAt - performance.now();
  }

  startRun(): void {
    this.runBusyMs = 0;
  }

  startSlice(): void {
    this.sliceStart = performance.now();
  }

  /**
   * Lets the event loop turn once the run has held it SLICE_MS. A response's writes reach its socket
   * in a process.nextTick (Node corks it for the rest of the tick, so a page's frames go out in one
   * system call): the clock is read once those have run, since the system calls are most of what
   * writing to thousands of pages costs.
   */
  async yieldWhenSliceSpent(): Promise<void> {
    await afterQueuedTicks();
    const now = performance.now();
    if (now - this.sliceStart < SLICE_MS) return;
    this.runBusyMs += now - this.sliceStart;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStart = performance.now();
  }

  /**
   * Calls `write` for each of `items` (each a page's writes), letting the event loop turn whenever the
   * slice is spent (the clock is read every WRITES_PER_LOOK pages), then ends the slice.
   */
  async writeEach<T>(items: Iterable<T>, write: (item: T) => void): Promise<void> {
    let written = 0;
    for (const item of items) {
      write(item);
      if (++written % WRITES_PER_LOOK === 0) await this.yieldWhenSliceSpent();
    }
    await this.endSlice();
  }

  /** Counts the slice in progress, its queued writes included. */
  async endSlice(): Promise<void> {
    await afterQueuedTicks();
    const now = performance.now();
    this.runBusyMs += now - this.sliceStart;
    this.sliceStart = now;
  }

  /** Sets when the next run may start, from how long this one held the loop. */
  endRun(): void {
    const busy = this.runBusyMs;
    this.resumeAt = performance.now() + Math.min(MAX_PAUSE_MS, busy < EXPENSIVE_RUN_MS ? 0 : Math.max(busy, PERIOD_MS - busy));
  }
}
