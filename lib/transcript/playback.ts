/**
 * Pure helpers for reading a transcript beside its audio: which segment is playing, and clock
 * times as a person reads them. Isomorphic and DOM-free, so they are unit-tested without a browser.
 */

export interface TimedSpan {
  start: number;
  end: number;
}

/**
 * The index of the segment playing at `seconds`, or -1 in a gap or outside the recording. Where
 * segments overlap (a model may time them so) the later one wins, as a subtitle player shows the
 * newest cue. A linear scan: a few thousand segments cost microseconds, four times a second.
 */
export function segmentIndexAt(segments: readonly TimedSpan[], seconds: number): number {
  for (let index = segments.length - 1; index >= 0; index--) {
    const segment = segments[index] as TimedSpan;
    if (seconds >= segment.start && seconds < segment.end) return index;
  }
  return -1;
}

/** "0:07", "1:05", "1:02:03": whole seconds, as media players show them. */
export function formatClock(seconds: number): string {
  const whole = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = String(whole % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
}
