/** Consecutive pieces of audio as one array (a preview's chunks, a job's chunks for one encode). */
export function concatSamples(parts: readonly Float32Array[]): Float32Array {
  const all = new Float32Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}
