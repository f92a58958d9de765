/**
 * Joins consecutive chunks' audio with a short linear crossfade, streaming: each chunk is emitted
 * as soon as it exists except its last `fade` samples, which wait to be mixed into the next
 * chunk's head. Total length = sum of chunks − (joins × fade).
 */
export class StreamingCrossfader {
  private tail = new Float32Array(0);

  constructor(private readonly fadeSamples: number) {}

  /** Returns what can be played now; keeps back the tail unless this is the last chunk. */
  push(samples: Float32Array, last: boolean): Float32Array {
    const fade = Math.min(this.tail.length, samples.length);
    const head = new Float32Array(samples);
    for (let i = 0; i < fade; i++) {
      const t = (i + 1) / (fade + 1);
      head[i] = (this.tail[i] ?? 0) * (1 - t) + (head[i] ?? 0) * t;
    }
    // Samples of a previous tail longer than this chunk cannot be mixed: play them as they are.
    const leftover = this.tail.subarray(fade);
    const keep = last ? 0 : Math.min(this.fadeSamples, Math.floor(head.length / 2));
    const ready = new Float32Array(leftover.length + head.length - keep);
    ready.set(leftover, 0);
    ready.set(head.subarray(0, head.length - keep), leftover.length);
    this.tail = head.slice(head.length - keep);
    return ready;
  }
}
