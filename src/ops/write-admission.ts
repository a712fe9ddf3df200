// Admission control for writes: a limit on the writes in progress that follows how fast they are
// answered, a short wait for a free slot, and a refusal at once for the rest.
//
// Why a limit on writes in progress rather than on event-loop lag alone: past saturation the loop is
// busy with what was already admitted (each comment is written to every live reader), so a signal
// taken from the loop comes late and keeps admitting while the work piles up. Here each admitted
// write holds a slot until it is answered; the limit is the number of slots. It adapts like TCP's
// congestion window: when the writes of a window were answered slower than the target, it shrinks to
// what the measured rate can answer within the target (Little's law); when they were fast and the
// limit was what held them back, it grows. So the accepted writes stay within the target whatever the
// machine manages at the moment, and the excess is refused in microseconds.

export type Refusal = 'writesInProgress' | 'writeLatency';

export interface WriteAdmissionOptions {
  /** The most writes in progress, however fast they are. */
  maxLimit: number;
  /** An admitted write should be answered within this (from its slot to its answer). */
  targetMs: number;
  /** How long a write may wait for a free slot while writes stand waiting (past saturation); a burst on a
   * server that keeps up waits up to targetMs. */
  queueMs: number;
  /** How often the limit is reconsidered. */
  windowMs?: number;
  now?: () => number;
}

interface Waiter {
  resolve(admitted: boolean): void;
  timer: NodeJS.Timeout;
}

/** A slot for one write; release it when the write is answered (or abandoned). */
export type Release = () => void;

const MIN_LIMIT = 2;
/** The oldest write in progress may take this many times the target before new ones are refused unread. */
const STANDING_QUEUE_FACTOR = 4;
/** The share of a window's writes whose latency is judged: the slowest tenth may be slow. */
const JUDGED_PERCENTILE = 0.9;
/**
 * A limit that held no write back comes down towards what is in use (twice the window's peak), but
 * not below this (or SHED_MAX_WRITES). Otherwise a server that kept up at a few writes at a time keeps
 * the limit it grew to, and the first moment of an overload admits that many writes at once: their
 * work, and then their comments' delivery to every open page, held the event loop while the refusals
 * waited in the sockets' buffers, the worst second of the soak.
 */
const UNUSED_LIMIT_FLOOR = 8;

export class WriteAdmission {
  limit: number;
  private readonly minLimit: number;
  /** Start times of the writes holding a slot, oldest first (a Set iterates in insertion order). */
  private readonly inProgress = new Set<{ startedAt: number }>();
  private readonly waiting: Waiter[] = [];
  private samples: number[] = [];
  private limitReached = false;
  /** The most writes in progress at once since the limit was last reconsidered. */
  private peakInProgress = 0;
  private lastFastAnswerAt: number;
  private lastAdaptAt: number;
  /** The last time a write was refused: within a window of it, the server is saturated. */
  private lastRefusedAt = -Infinity;
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;
  private readonly windowMs: number;

  constructor(private readonly opts: WriteAdmissionOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.windowMs = opts.windowMs ?? 250;
    this.minLimit = Math.min(MIN_LIMIT, opts.maxLimit);
    // A fresh server takes a burst; the limit comes down at the first window that shows a queue, or
    // towards what is in use while it holds nothing back.
    this.limit = opts.maxLimit;
    this.lastFastAnswerAt = this.lastAdaptAt = this.now();
    this.timer = setInterval(() => this.adapt(), this.windowMs);
    this.timer.unref();
  }

  get writesInProgress(): number {
    return this.inProgress.size;
  }

  get writesWaiting(): number {
    return this.waiting.length;
  }

  /**
   * Whether a write should be refused before its body is read: the writes are stuck (the oldest has
   * been in progress for several times the target and none was answered within it lately — one slow
   * write among fast ones is not that), or the slots and the wait for them are both full, or every slot
   * is taken past saturation (a write was refused lately): reading the body only to refuse it after the
   * short wait would make the refusal slow and take time from the admitted writes.
   */
  refuseEarly(): Refusal | null {
    const now = this.now();
    if (this.standingQueue(now)) return 'writeLatency';
    if (this.inProgress.size < this.limit) return null;
    if (this.waiting.length >= this.opts.maxLimit || this.saturated(now)) return this.refusedEarly();
    return null;
  }

  private refusedEarly(): Refusal {
    this.refused();
    return 'writesInProgress';
  }

  private saturated(now: number): boolean {
    return now - this.lastRefusedAt < this.windowMs;
  }

  /** A slot for a write whose body has been read, at once or after a short wait; null: refused. */
  acquire(): Release | null | Promise<Release | null> {
    if (this.inProgress.size < this.limit && this.waiting.length === 0) return this.take();
    this.limitReached = true;
    if (this.waiting.length >= this.opts.maxLimit) return this.refused();
    // Past saturation (a write was refused lately), one that finds no slot is refused almost at once;
    // in a burst on a server that keeps up, it waits its turn.
    const saturated = this.saturated(this.now());
    return new Promise<Release | null>((resolve) => {
      const waiter: Waiter = {
        resolve: (admitted) => resolve(admitted ? this.take() : null),
        timer: setTimeout(() => this.giveUp(waiter), saturated ? this.opts.queueMs : this.opts.targetMs),
      };
      this.waiting.push(waiter);
    });
  }

  /** A waiting write whose wait is over without a slot: refused. */
  private giveUp(waiter: Waiter): void {
    const at = this.waiting.indexOf(waiter);
    if (at >= 0) this.waiting.splice(at, 1);
    this.refused();
    waiter.resolve(false);
  }

  private take(): Release {
    const entry = { startedAt: this.now() };
    this.inProgress.add(entry);
    if (this.inProgress.size > this.peakInProgress) this.peakInProgress = this.inProgress.size;
    return () => {
      if (!this.inProgress.delete(entry)) return;
      const now = this.now();
      const ms = now - entry.startedAt;
      if (ms <= this.opts.targetMs) this.lastFastAnswerAt = now;
      if (this.samples.length < 10_000) this.samples.push(ms);
      this.admitWaiting();
    };
  }

  private admitWaiting(): void {
    while (this.waiting.length > 0 && this.inProgress.size < this.limit) {
      const waiter = this.waiting.shift()!;
      clearTimeout(waiter.timer);
      waiter.resolve(true);
    }
  }

  private refused(): null {
    this.noteRefusal();
    return null;
  }

  /**
   * A write was refused, here or for another reason (the event loop or live delivery behind): the
   * server is saturated all the same, so for a window the writes that find every slot taken are refused
   * unread, and those already read wait for a slot only briefly, instead of the target a burst gets.
   */
  noteRefusal(): void {
    const now = this.now();
    const wasSaturated = this.saturated(now);
    this.lastRefusedAt = now;
    // The writes that came in the burst before it (the first moments of an overload) waited for the
    // target; from now on they wait only the short wait too. Otherwise the ones no slot frees up for are
    // refused after the whole target, the slowest refusals of an overload.
    if (wasSaturated) return;
    for (const waiter of this.waiting) {
      clearTimeout(waiter.timer);
      waiter.timer = setTimeout(() => this.giveUp(waiter), this.opts.queueMs);
    }
  }

  private standingQueue(now = this.now()): boolean {
    const oldest = this.inProgress.values().next().value;
    const bound = this.opts.targetMs * STANDING_QUEUE_FACTOR;
    return oldest !== undefined && now - oldest.startedAt > bound && now - this.lastFastAnswerAt > bound;
  }

  /** Reconsiders the limit from the writes answered since the last time. */
  adapt(): void {
    const { targetMs, maxLimit } = this.opts;
    const samples = this.samples;
    this.samples = [];
    const now = this.now();
    // The timer fires late when the loop is busy: the rate is taken over the time that really passed.
    const elapsedMs = Math.max(1, now - this.lastAdaptAt);
    this.lastAdaptAt = now;
    if (samples.length > 0 && this.limitReached) {
      samples.sort((a, b) => a - b);
      const judged = samples[Math.min(samples.length - 1, Math.floor(samples.length * JUDGED_PERCENTILE))]!;
      if (judged > targetMs) {
        // Slow while writes waited for slots: the slots are what they queue for.
        // As many in progress as the rate just measured answers within the target, and never less
        // than half at once, so one noisy window does not empty the server.
        const withinTarget = Math.ceil((samples.length / elapsedMs) * targetMs);
        this.limit = Math.max(this.minLimit, Math.min(Math.floor(this.limit * Math.max(0.5, targetMs / judged)), withinTarget));
      } else {
        // Fast and held back by the limit: grow, quickly while far below the target.
        this.limit = Math.min(maxLimit, judged < targetMs / 2 ? Math.ceil(this.limit * 1.25) : this.limit + 1);
      }
    } else if (samples.length === 0 && this.standingQueue(now)) {
      // Nothing answered in a whole window while a write waits past the target.
      this.limit = Math.max(this.minLimit, Math.floor(this.limit / 2));
    } else if (!this.limitReached) {
      // Unused (slow writes that no one queued behind are slow work, not a queue): halfway down each
      // window, to twice the peak at the least.
      const floor = Math.min(maxLimit, UNUSED_LIMIT_FLOOR);
      this.limit = Math.min(this.limit, Math.max(floor, 2 * this.peakInProgress, Math.floor(this.limit / 2)));
    }
    this.peakInProgress = this.inProgress.size;
    this.limitReached = this.inProgress.size >= this.limit;
    this.admitWaiting();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const waiter of this.waiting.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.resolve(false);
    }
  }
}
