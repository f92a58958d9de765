/**
 * A microphone level for a meter: the RMS of one block of samples in dBFS, mapped onto 0–1 so
 * that quiet speech is visible (a linear RMS of speech sits near 0.05 and would barely move a bar).
 */

/** Levels at or below this read as silence on the meter. */
export const METER_FLOOR_DBFS = -60;

export function levelFromSamples(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  const rms = Math.sqrt(sum / samples.length);
  if (rms === 0) return 0;
  const dbfs = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (dbfs - METER_FLOOR_DBFS) / -METER_FLOOR_DBFS));
}
