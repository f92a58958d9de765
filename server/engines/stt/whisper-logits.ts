/**
 * Whisper's logit rules, applied in place before each token is chosen, in openai/whisper's
 * order: blank suppression at the first step, the suppress list at every step, then the
 * timestamp rules (pairs, monotonic, the first token a timestamp, a timestamp whenever the
 * timestamps together outweigh the best text token). Pure, so the golden test and unit tests
 * exercise exactly what production runs.
 */

export interface TimestampRules {
  noTimestamps: number;
  /** Id of <|0.00|>; every id at or above it is a timestamp of (id - timestampBegin) * 0.02 s. */
  timestampBegin: number;
  /** Latest timestamp the first token may be (openai: 1.0 s = index 50); null for no bound. */
  maxInitialIndex: number | null;
}

export interface LogitRules {
  eot: number;
  suppress: readonly number[];
  /** Suppressed at the first generated step only (a leading space, an immediate end). */
  beginSuppress: readonly number[];
  timestamps?: TimestampRules;
}

export function logSumExp(values: Float32Array): number {
  // Indexed loops: this runs over 51,865 logits once per generated token.
  const n = values.length;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const value = values[i] as number;
    if (value > max) max = value;
  }
  if (max === Number.NEGATIVE_INFINITY) return max;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const delta = (values[i] as number) - max;
    // exp(-40) < 5e-18: such terms cannot move a float64 sum that already holds 1.
    if (delta > -40) sum += Math.exp(delta);
  }
  return max + Math.log(sum);
}

function applyTimestampRules(
  logits: Float32Array,
  generated: readonly number[],
  rules: TimestampRules,
  eot: number,
) {
  const { timestampBegin } = rules;
  logits[rules.noTimestamps] = Number.NEGATIVE_INFINITY;
  const last = generated.at(-1);
  const penultimate = generated.at(-2);
  const lastWasTimestamp = last !== undefined && last >= timestampBegin;
  const penultimateWasTimestamp = generated.length < 2 || (penultimate ?? 0) >= timestampBegin;
  if (lastWasTimestamp) {
    // Timestamps come in pairs (close, open), except the one right before the end.
    if (penultimateWasTimestamp) logits.fill(Number.NEGATIVE_INFINITY, timestampBegin);
    else logits.fill(Number.NEGATIVE_INFINITY, 0, eot);
  }
  // Time never runs backwards: no timestamp before the last one.
  const timestamps = generated.filter((token) => token >= timestampBegin);
  const lastTimestamp = timestamps.at(-1);
  if (lastTimestamp !== undefined) {
    const floor = lastWasTimestamp && !penultimateWasTimestamp ? lastTimestamp : lastTimestamp + 1;
    logits.fill(Number.NEGATIVE_INFINITY, timestampBegin, floor);
  }
  if (generated.length === 0) {
    logits.fill(Number.NEGATIVE_INFINITY, 0, timestampBegin);
    if (rules.maxInitialIndex !== null) {
      logits.fill(Number.NEGATIVE_INFINITY, timestampBegin + rules.maxInitialIndex + 1);
    }
  }
  // openai compares log-probabilities; the shared normaliser cancels, so raw logits suffice
  // (and save two passes of exp over 51,865 entries per token).
  let bestText = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < timestampBegin; i++) {
    const value = logits[i] as number;
    if (value > bestText) bestText = value;
  }
  if (logSumExp(logits.subarray(timestampBegin)) > bestText)
    logits.fill(Number.NEGATIVE_INFINITY, 0, timestampBegin);
}

/** Applies every rule to `logits` (one row, in place) given the tokens generated so far. */
export function applyLogitRules(logits: Float32Array, generated: readonly number[], rules: LogitRules): void {
  if (generated.length === 0)
    for (const token of rules.beginSuppress) logits[token] = Number.NEGATIVE_INFINITY;
  for (const token of rules.suppress) logits[token] = Number.NEGATIVE_INFINITY;
  if (rules.timestamps) applyTimestampRules(logits, generated, rules.timestamps, rules.eot);
}
