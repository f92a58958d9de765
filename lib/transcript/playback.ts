/**
 * Pure helpers for reading a transcript beside its audio: which segment is playing, and clock
 * times as a person reads them. Isomorphic and DOM-free, so they are unit-tested without a browser.
 */

export interface TimedSpan {
  start: number;
  end: number;
}

/**
 * The index of the segment playing at `seconds`, or -1 in a gap or outside the recording.
 * Segments are in time order (Whisper emits them so); a binary search keeps long transcripts cheap
 * on every `timeupdate`.
 */
export function segmentIndexAt(segments: readonly TimedSpan[], seconds: number): number {
  let low = 0;
  let high = segments.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const segment = segments[middle] as TimedSpan;
    if (seconds < segment.start) high = middle - 1;
    else if (seconds >= segment.end) low = middle + 1;
    else return middle;
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
