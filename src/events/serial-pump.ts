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
    if (this.running) {
      this.requestedAgain = true;
      return;
    }
    this.running = this.work()
      .then(
        () => null,
        (error: unknown) => error ?? new Error('run failed'),
      )
      .then((error) => {
        this.running = null;
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

  /** Resolves once no run is in progress (runs requested meanwhile included). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Drops the timer and waits for the run in progress: the owner has stopped asking. */
  async stop(): Promise<void> {
    this.cancelTimer();
    await this.idle();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
