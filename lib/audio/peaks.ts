/** A waveform's outline: the largest absolute sample in each of `buckets` equal slices. */
export function peaks(samples: Float32Array, buckets: number): Float32Array {
  const count = Math.max(0, Math.floor(buckets));
  const out = new Float32Array(count);
  if (samples.length === 0 || count === 0) return out;
  for (let bucket = 0; bucket < count; bucket++) {
    const start = Math.floor((bucket * samples.length) / count);
    const end = Math.max(start + 1, Math.floor(((bucket + 1) * samples.length) / count));
    let peak = 0;
    for (let i = start; i < end && i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i] ?? 0));
    out[bucket] = Math.min(1, peak);
  }
  return out;
}
