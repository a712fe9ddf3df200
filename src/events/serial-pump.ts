/**
 * Runs a piece of work one at a time, however often it is asked for. Everything that follows the
 * events table (the live hub, subscribers, the job runner, the page cache) is woken after every
 * commit; a wake-up during a run must not start a second run alongside it, nor be lost: it makes
 * exactly one more run happen afterwards.
 */
export class SerialPump {
  private running: Promise<void> | null = null;
  private requestedAgain = false;
  private timer: NodeJS.Timeout | null = null;
  /** request() calls so far, and how many of them the runs finished so far began after. */
  private requests = 0;
  private covered = 0;
  private waiters: { upTo: number; resolve: () => void }[] = [];

  /**
   * @param work one run
   * @param settle called after each run with its error (or null) and whether a wake-up came in
   *   meanwhile; it returns true to run again at once (and may schedule a timer instead)
   */
  constructor(
    private readonly work: () => Promise<void>,
    private readonly settle: (error: unknown, requestedAgain: boolean) => boolean = (_error, again) => again,
  ) {}

  /** Runs the work now, or once more after the run in progress. */
  request(): void {
    this.requests++;
    if (this.running) {
      this.requestedAgain = true;
      return;
    }
    const covers = this.requests;
    this.running = this.work()
      .then(
        () => null,
        (error: unknown) => error ?? new Error('run failed'),
      )
      .then((error) => {
        this.running = null;
        this.covered = covers;
        this.release();
        const again = this.requestedAgain;
        this.requestedAgain = false;
        if (this.settle(error, again)) this.request();
      });
  }

  /**
   * Runs the work `ms` from now, after `beforeRun` (a later call replaces the earlier one). For polls
   * and back-off; the timer keeps no process alive.
   */
  requestAfter(ms: number, beforeRun?: () => void): void {
    this.cancelTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      beforeRun?.();
      this.request();
    }, ms);
    this.timer.unref();
  }

  /**
   * Null when every request so far was followed by a finished run; else a promise that resolves
   * once one has. Unlike idle(), it does not wait for runs asked for after the call, so a caller
   * under a steady stream of wake-ups waits for two runs at most.
   */
  caughtUp(): Promise<void> | null {
    if (this.covered >= this.requests) return null;
    return new Promise((resolve) => this.waiters.push({ upTo: this.requests, resolve }));
  }

  private release(): void {
    if (this.waiters.length === 0) return;
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (waiter.upTo <= this.covered) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }

  /** Resolves once no run is in progress (runs requested meanwhile included). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Drops the timer and waits for the run in progress: the owner has stopped asking. */
  async stop(): Promise<void> {
    this.cancelTimer();
    await this.idle();
    // Nothing will run again: no one may wait for it.
    this.covered = this.requests;
    this.release();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
