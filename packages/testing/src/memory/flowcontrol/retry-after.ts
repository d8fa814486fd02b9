/**
 * The `Retry-After` of API Priority and Fairness 429s, per priority level, as
 * kube-apiserver's dropped-requests tracker sets it: 1 second at first, doubled (at most
 * 32) when at least three times as many requests were dropped in the last `retryAfter`
 * seconds and no increase happened for that long, lowered by one when fewer than
 * `retryAfter` were. It is re-evaluated only when a drop opens a new second. Our own
 * copy, because the header a client backs off by is what a test compares.
 */

const MAX_RETRY_AFTER = 32;

interface Second {
  readonly unix: number;
  readonly drops: number;
}

class LevelDrops {
  private history: Second[] = [];
  private currentUnix = 0;
  private currentDrops = 0;
  private updatedUnix = 0;
  retryAfter = 1;

  record(unix: number): void {
    if (unix === this.currentUnix) {
      this.currentDrops++;
      return;
    }
    this.remember(this.currentUnix, this.currentDrops);
    this.currentUnix = unix;
    this.currentDrops = 1;
    this.update(unix);
  }

  private remember(unix: number, drops: number): void {
    this.history.push({ unix, drops });
    const keep = Math.min(2 * this.retryAfter, MAX_RETRY_AFTER);
    const first = this.history.findIndex((s) => unix - s.unix <= keep);
    this.history = first < 0 ? [] : this.history.slice(first);
  }

  private update(unix: number): void {
    let dropped = 0;
    for (let i = this.history.length - 1; i >= 0; i--) {
      const s = this.history[i]!;
      if (unix - s.unix > this.retryAfter) break;
      if (s.unix < unix) dropped += s.drops;
    }
    if (unix - this.updatedUnix >= this.retryAfter && dropped >= 3 * this.retryAfter) {
      this.retryAfter = Math.min(this.retryAfter * 2, MAX_RETRY_AFTER);
      this.updatedUnix = unix;
      return;
    }
    if (dropped < this.retryAfter && this.retryAfter > 1) this.retryAfter--;
  }
}

/** Dropped requests per priority level, and the `Retry-After` they call for. */
export class DroppedRequests {
  private readonly levels = new Map<string, LevelDrops>();

  constructor(private readonly nowUnix: () => number = () => Math.floor(Date.now() / 1000)) {}

  /** Records a request of `level` just refused with 429. */
  record(level: string): void {
    const now = this.nowUnix();
    let drops = this.levels.get(level);
    if (!drops) {
      drops = new LevelDrops();
      this.levels.set(level, drops);
    }
    drops.record(now);
  }

  /** The `Retry-After` seconds to answer for `level`. */
  retryAfter(level: string): number {
    return this.levels.get(level)?.retryAfter ?? 1;
  }
}
