/**
 * A cap on requests served at once by this process. Past the cap a request is refused at
 * once (503 + Retry-After) instead of queueing: queued work would only time out later while
 * holding memory, and the client can retry elsewhere or later.
 */
export class InFlightGate {
  private current = 0;

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError("in-flight cap must be a positive integer");
  }

  get inFlight(): number {
    return this.current;
  }

  /** A release function when there is room (call it exactly once; extra calls are ignored), else null. */
  tryEnter(): (() => void) | null {
    if (this.current >= this.max) return null;
    this.current += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.current -= 1;
    };
  }

  /** Runs `work` inside the gate; `onFull` answers instead when there is no room. */
  async run<T>(work: () => Promise<T>, onFull: () => T | Promise<T>): Promise<T> {
    const release = this.tryEnter();
    if (!release) return onFull();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
