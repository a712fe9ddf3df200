import { performance as nodePerformance } from 'node:perf_hooks';

// A ceiling on the rate of admitted writes, set from the event loop's utilisation every short window
// (additive increase, multiplicative decrease, as TCP does with its window).
//
// Why a rate, beside the slots of write-admission.ts: a comment's answer is fast, but its delivery to
// every open page of its article comes after (events/live.ts), so the slots empty quickly and admit far
// more than the process can deliver. In the soak, the on/off rule on utilisation (two half-second
// windows over the bound: refuse every write, until two are under) then admitted some 500 writes a
// second for most of a second and none for the next one or two: each burst of admitted writes became a
// burst of delivery, which held the loop (and the machine's CPU, shared with the clients reading it)
// while the refusals waited unread in the sockets, the slowest refusals of every run. A rate that
// follows the loop's utilisation in tenths of a second settles at what the process can deliver, and the
// refusals it adds cost microseconds.
//
// - The loop's utilisation is judged over the last SMOOTHING_WINDOWS windows: one delivery round to
//   thousands of pages fills most of a window alone.
// - There is a ceiling only once another rule has refused a write (noteSaturation), or writes queue for
//   slots while the loop is busier than the target (noteQueueing), or writes pour in while it is: at
//   least ONSET_WRITES since the loop was last judged, faster than ONSET_FACTOR times the calm rate
//   below, than ONSET_FACTOR times their pace at the reading before, and than ONSET_MIN_RATE
//   (noteArrivals). A busy loop that refuses and queues nothing and gets
//   writes at their usual pace (readers connecting, a start, a quiet site's delivery round) is not one
//   that writes saturate. The first ceiling is ONSET_FACTOR times the rate writes were admitted at
//   while the loop was under its target (a moving average; never below MIN_RATE), set at once: the
//   first tenths of a second of an overload admitted hundreds of writes before any window ended, and
//   their deliveries made the slowest refusals of the soak.
// - A window over the target in which writes were admitted brings the ceiling down to DECREASE of the
//   rate admitted in it (never below MIN_RATE). The loop shows the effect of a cut only after a while
//   (the deliveries of what was admitted before it come later), so after a cut the next waits HOLD_MS.
// - Each window under the target in which the ceiling refused a write raises it by INCREASE (at least
//   MIN_STEP writes a second).
// - After LIFT_WINDOWS windows in a row under the target without a refusal, there is no ceiling.
// Admission is a token bucket holding BURST_S of the rate, so a raised ceiling does not admit a burst.

const WINDOW_MS = 100;
const DECREASE = 0.7;
const INCREASE = 0.05;
const MIN_STEP = 2;
const MIN_RATE = 5;
const HOLD_MS = 200;
const LIFT_WINDOWS = 20;
const BURST_S = 0.05;
const SMOOTHING_WINDOWS = 3;
const ONSET_FACTOR = 2;
/** Writes admitted since the loop was last judged that make it worth judging again. */
const ONSET_WRITES = 10;
/**
 * Writes a second under which a busy loop is not taken to be busy with them: at a site's start, or
 * while readers connect, a few dozen writes a second on a loop busy with other work are not an overload.
 */
const ONSET_MIN_RATE = 100;
/** The weight of each calm window in the moving average of the rate admitted while calm (about a second's memory). */
const CALM_WEIGHT = 0.1;
/** The loop judged at the start of an overload (readProbe): over at least this long since its previous reading… */
const PROBE_MIN_MS = 20;
/** …and at most this long (an older reading says nothing of now). */
const PROBE_MAX_MS = 250;

export interface WriteRateOptions {
  /** The utilisation (0-1) the loop should stay under; 1 or more: never a ceiling. */
  targetUtilization: number;
  now?: () => number;
  /** The loop's utilisation since the last call (tests give their own); by default measured by Node. */
  utilization?: () => number;
  /** A probe of the loop's utilisation over the time since the probe's previous reading; by default Node's. */
  probe?: () => number;
  /** Whether to reconsider the ceiling on a timer of its own (tests call adapt() themselves). */
  timer?: boolean;
}

export class WriteRate {
  /** Writes a second admitted at most; Infinity: no ceiling. */
  ceiling = Number.POSITIVE_INFINITY;
  private tokens = 0;
  private filledAt: number;
  private admitted = 0;
  private refusedSome = false;
  private lastAdaptAt: number;
  private holdUntil = Number.NEGATIVE_INFINITY;
  private calmWindows = 0;
  /** The rate writes were admitted at while the loop was under its target and there was no ceiling. */
  private calmRate = 0;
  private probedAt = Number.NEGATIVE_INFINITY;
  private admittedSinceProbe = 0;
  /**
   * The writes a second between the loop's last two readings. Writes pour in when they come much
   * faster than that too: closed-loop writers on a loop busy from the start keep one pace, near
   * ONSET_MIN_RATE once the write path got faster, and were taken for an overload. Unknown (no
   * onset by arrivals) until the loop has been read once.
   */
  private pace = Number.POSITIVE_INFINITY;
  private readonly recent: number[] = [];
  private readonly now: () => number;
  private readonly utilization: () => number;
  private readonly probe: () => number;
  private readonly timer: NodeJS.Timeout | null;

  constructor(private readonly opts: WriteRateOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.utilization = opts.utilization ?? loopUtilization();
    this.probe = opts.probe ?? loopUtilization();
    this.filledAt = this.lastAdaptAt = this.now();
    const enabled = opts.targetUtilization < 1 && opts.timer !== false;
    this.timer = enabled ? setInterval(() => this.adapt(this.utilization()), WINDOW_MS) : null;
    this.timer?.unref();
  }

  /** Whether a write may go on now (it takes a token), or is refused. */
  take(): boolean {
    if (this.ceiling === Number.POSITIVE_INFINITY) {
      this.admitted++;
      if (++this.admittedSinceProbe >= ONSET_WRITES && this.mayStart()) this.noteArrivals();
      return true;
    }
    const now = this.now();
    const capacity = Math.max(1, this.ceiling * BURST_S);
    this.tokens = Math.min(capacity, this.tokens + ((now - this.filledAt) / 1000) * this.ceiling);
    this.filledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.admitted++;
      return true;
    }
    this.refusedSome = true;
    return false;
  }

  /** Reconsiders the ceiling from the utilisation of the window that just ended. */
  adapt(utilization: number): void {
    const now = this.now();
    const seconds = Math.max(0.001, (now - this.lastAdaptAt) / 1000);
    const admittedRate = this.admitted / seconds;
    this.lastAdaptAt = now;
    // The last few windows together: one fan-out run to thousands of pages fills most of a window alone.
    this.recent.push(utilization);
    if (this.recent.length > SMOOTHING_WINDOWS) this.recent.shift();
    const smoothed = this.recent.reduce((a, b) => a + b, 0) / this.recent.length;
    const unlimited = this.ceiling === Number.POSITIVE_INFINITY;
    if (smoothed > this.opts.targetUtilization) {
      this.calmWindows = 0;
      // A loop busy with no writes is busy with something else, which other rules refuse writes for.
      if (!unlimited && now >= this.holdUntil && this.admitted > 0) this.limit(Math.min(this.ceiling, admittedRate) * DECREASE, now);
    } else if (unlimited) {
      this.calmRate += CALM_WEIGHT * (admittedRate - this.calmRate);
    } else if (this.refusedSome) {
      this.calmWindows = 0;
      this.ceiling += Math.max(MIN_STEP, this.ceiling * INCREASE);
    } else if (++this.calmWindows >= LIFT_WINDOWS) {
      this.ceiling = Number.POSITIVE_INFINITY;
    }
    this.admitted = 0;
    this.refusedSome = false;
  }

  /**
   * A write found every slot taken (write-admission.ts) and waits for one. That is how an overload
   * begins, but a short burst on a server that keeps up looks the same; the loop's utilisation since
   * its previous reading (PROBE_MIN_MS to PROBE_MAX_MS ago) tells them apart: over the target,
   * the server is saturated now, without waiting for a refusal. Until then, each write of the first
   * tenths of a second of an overload was admitted or queued, and their work and deliveries held the
   * loop while the refusals that came after waited in the sockets.
   */
  noteQueueing(): void {
    if (!this.mayStart()) return;
    const reading = this.readProbe();
    if (reading && reading.utilization > this.opts.targetUtilization) this.noteSaturation();
  }

  /**
   * The first tenths of a second of an overload, before any write queues: in the soak, 1,500 writes a
   * second after a calm spell, the slots emptied as fast as writes came, and the hundreds admitted
   * before the first queued write or refusal held the loop with their deliveries while the refusals
   * after them waited. Writes coming much faster than while the loop was calm, on a loop over its
   * target since they began, are that overload.
   */
  private noteArrivals(): void {
    const reading = this.readProbe();
    if (!reading || reading.utilization <= this.opts.targetUtilization) return;
    const pace = Math.max(ONSET_MIN_RATE, ONSET_FACTOR * this.calmRate, ONSET_FACTOR * reading.paceBefore);
    if (reading.admitted / reading.seconds > pace) this.noteSaturation();
  }

  /**
   * The loop's utilisation and the writes admitted since the previous reading, when that was
   * PROBE_MIN_MS to PROBE_MAX_MS ago; null when it was later (a reading is made, for next time) or
   * sooner (none is made).
   */
  private readProbe(): { utilization: number; seconds: number; admitted: number; paceBefore: number } | null {
    const now = this.now();
    const since = now - this.probedAt;
    if (since < PROBE_MIN_MS) return null;
    const utilization = this.probe();
    const admitted = this.admittedSinceProbe;
    const paceBefore = this.pace;
    // The first reading has no span to measure a pace over.
    this.pace = Number.isFinite(since) ? admitted / (since / 1000) : Number.POSITIVE_INFINITY;
    this.probedAt = now;
    this.admittedSinceProbe = 0;
    return since <= PROBE_MAX_MS ? { utilization, seconds: since / 1000, admitted, paceBefore } : null;
  }

  /** Another rule refused a write (write-admission.ts, the event loop, live delivery): the server is saturated. */
  noteSaturation(): void {
    if (this.mayStart()) this.limit(ONSET_FACTOR * this.calmRate, this.now());
  }

  /** No ceiling yet, and one may be set (the target is under 1). */
  private mayStart(): boolean {
    return this.ceiling === Number.POSITIVE_INFINITY && this.opts.targetUtilization < 1;
  }

  private limit(ceiling: number, now: number): void {
    this.ceiling = Math.max(MIN_RATE, ceiling);
    this.holdUntil = now + HOLD_MS;
    // A new ceiling starts with an empty bucket: what was admitted before it is its burst.
    this.tokens = 0;
    this.filledAt = now;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

/** The event loop's utilisation since the previous call (Node's own measure). */
export function loopUtilization(): () => number {
  let last = nodePerformance.eventLoopUtilization();
  return () => {
    const now = nodePerformance.eventLoopUtilization();
    const { utilization } = nodePerformance.eventLoopUtilization(now, last);
    last = now;
    return utilization;
  };
}
