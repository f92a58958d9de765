/**
 * Token search over a decoder step function: greedy (the default), beam search (openai/whisper's
 * BeamSearchDecoder: keep the best `numBeams` live sequences, collect `numBeams` finished ones,
 * rank by mean log-probability), or sampling at a temperature. transformers.js's generate() has
 * no beam search (it keeps only the top beam), so the search lives here; the model calls,
 * feature extraction and tokenizer stay transformers.js's.
 */
import { applyLogitRules, type LogitRules, logSumExp } from "@/server/engines/stt/whisper-logits";

export interface StepOutput<C, X> {
  /** Logits of every input position, row-major [rows, vocab]. */
  logits: Float32Array;
  rows: number;
  vocab: number;
  cache: C;
  /** Anything the caller wants kept along the chosen path (cross-attentions for word timing). */
  extra?: X;
}

/** Runs the decoder on `input` (the whole prompt first, then one token) after `cache`. */
export type StepFn<C, X> = (input: readonly number[], cache: C | null) => Promise<StepOutput<C, X>>;

export interface SearchOptions<C, X> {
  prompt: readonly number[];
  maxNewTokens: number;
  numBeams: number;
  /** 0 = deterministic (greedy/beam); above 0 samples from softmax(logits / temperature). */
  temperature: number;
  rules: LogitRules;
  signal?: AbortSignal;
  /** Sees the prompt step's raw output (before any rule): parity checks, no-speech probability. */
  onPromptStep?: (output: StepOutput<C, X>) => void;
  /** Frees a cache no live sequence uses any more (GPU tensors). */
  release?: (cache: C) => void;
  random?: () => number;
}

export interface SearchResult<X> {
  /** Generated tokens, without the end-of-text token. */
  tokens: number[];
  /** Log-probability of each generated token (end-of-text included when it was produced). */
  logprobs: number[];
  /** Whether the sequence ended with end-of-text (false: it hit maxNewTokens). */
  finished: boolean;
  extras: X[];
}

interface Hypothesis<C, X> {
  tokens: number[];
  logprobs: number[];
  sum: number;
  extras: X[];
  output: StepOutput<C, X>;
}

function lastRow(output: StepOutput<unknown, unknown>): Float32Array {
  return output.logits.slice((output.rows - 1) * output.vocab, output.rows * output.vocab);
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] ?? 0) > (values[best] ?? 0)) best = i;
  return best;
}

/** Indices of the k largest values, best first (k is tiny, so one linear pass). */
function topK(values: Float32Array, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? Number.NEGATIVE_INFINITY;
    if (value === Number.NEGATIVE_INFINITY) continue;
    if (best.length === k && value <= (values[best[k - 1] ?? 0] ?? 0)) continue;
    let at = best.length;
    while (at > 0 && value > (values[best[at - 1] ?? 0] ?? 0)) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}

function sample(logits: Float32Array, norm: number, temperature: number, random: () => number): number {
  const weights = new Float64Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const weight = Math.exp(((logits[i] ?? Number.NEGATIVE_INFINITY) - norm) / temperature);
    weights[i] = weight;
    total += weight;
  }
  let pick = random() * total;
  for (let i = 0; i < weights.length; i++) {
    pick -= weights[i] ?? 0;
    if (pick <= 0) return i;
  }
  return argmax(logits);
}

/**
 * The last row with the rules applied, and its log-normaliser: token t's log-probability is
 * logits[t] - norm. Ranking by logits equals ranking by log-probabilities, so no full
 * log-softmax array is built per step.
 */
function scored<C, X>(hypothesis: Hypothesis<C, X>, rules: LogitRules) {
  const logits = lastRow(hypothesis.output);
  applyLogitRules(logits, hypothesis.tokens, rules);
  return { logits, norm: logSumExp(logits) };
}

async function extend<C, X>(
  step: StepFn<C, X>,
  parent: Hypothesis<C, X>,
  token: number,
  logprob: number,
): Promise<Hypothesis<C, X>> {
  const output = await step([token], parent.output.cache);
  return {
    tokens: [...parent.tokens, token],
    logprobs: [...parent.logprobs, logprob],
    sum: parent.sum + logprob,
    extras: output.extra === undefined ? parent.extras : [...parent.extras, output.extra],
    output,
  };
}

function result<X>(hypothesis: Omit<Hypothesis<unknown, X>, "output">, finished: boolean): SearchResult<X> {
  return { tokens: hypothesis.tokens, logprobs: hypothesis.logprobs, finished, extras: hypothesis.extras };
}

async function searchOne<C, X>(
  step: StepFn<C, X>,
  first: Hypothesis<C, X>,
  options: SearchOptions<C, X>,
): Promise<SearchResult<X>> {
  let current = first;
  const random = options.random ?? Math.random;
  while (current.tokens.length < options.maxNewTokens) {
    options.signal?.throwIfAborted();
    const { logits, norm } = scored(current, options.rules);
    const token =
      options.temperature > 0 ? sample(logits, norm, options.temperature, random) : argmax(logits);
    const logprob = (logits[token] ?? Number.NEGATIVE_INFINITY) - norm;
    if (token === options.rules.eot) {
      return result(
        { ...current, logprobs: [...current.logprobs, logprob], sum: current.sum + logprob },
        true,
      );
    }
    if (current.tokens.length + 1 === options.maxNewTokens) {
      // The budget is spent: keep the token, skip the decoder call nobody would read.
      return result(
        { ...current, tokens: [...current.tokens, token], logprobs: [...current.logprobs, logprob] },
        false,
      );
    }
    const previous = current;
    current = await extend(step, current, token, logprob);
    options.release?.(previous.output.cache);
  }
  return result(current, false);
}

async function searchBeams<C, X>(
  step: StepFn<C, X>,
  first: Hypothesis<C, X>,
  options: SearchOptions<C, X>,
): Promise<SearchResult<X>> {
  const { numBeams, rules } = options;
  const finished: Omit<Hypothesis<C, X>, "output">[] = [];
  let live = [first];
  while (live.length > 0) {
    options.signal?.throwIfAborted();
    const candidates: { parent: Hypothesis<C, X>; token: number; logprob: number; score: number }[] = [];
    for (const parent of live) {
      const { logits, norm } = scored(parent, rules);
      for (const token of topK(logits, numBeams + 1)) {
        const logprob = (logits[token] ?? Number.NEGATIVE_INFINITY) - norm;
        candidates.push({ parent, token, logprob, score: parent.sum + logprob });
      }
    }
    candidates.sort((a, b) => b.score - a.score);
    const chosen: typeof candidates = [];
    for (const candidate of candidates) {
      if (candidate.token === rules.eot) {
        if (finished.length < numBeams) {
          const { parent } = candidate;
          finished.push({
            ...parent,
            logprobs: [...parent.logprobs, candidate.logprob],
            sum: candidate.score,
          });
        }
      } else if (chosen.length < numBeams) {
        chosen.push(candidate);
      }
    }
    if (finished.length >= numBeams || chosen.length === 0) break;
    const atLimit = (live[0]?.tokens.length ?? 0) + 1 >= options.maxNewTokens;
    if (atLimit) {
      for (const { parent, token, logprob, score } of chosen) {
        finished.push({
          ...parent,
          tokens: [...parent.tokens, token],
          logprobs: [...parent.logprobs, logprob],
          sum: score,
        });
      }
      break;
    }
    const next: Hypothesis<C, X>[] = [];
    for (const candidate of chosen)
      next.push(await extend(step, candidate.parent, candidate.token, candidate.logprob));
    for (const parent of live) options.release?.(parent.output.cache);
    live = next;
  }
  // openai's ranker without a length penalty: the highest mean log-probability wins.
  const rank = (h: Omit<Hypothesis<C, X>, "output">) => h.sum / Math.max(1, h.tokens.length);
  const pool = finished.length > 0 ? finished : live;
  const best = pool.reduce((a, b) => (rank(b) > rank(a) ? b : a));
  const ended = finished.includes(best) && best.logprobs.length > best.tokens.length;
  return result(best, ended);
}

export async function searchTokens<C, X>(
  step: StepFn<C, X>,
  options: SearchOptions<C, X>,
): Promise<SearchResult<X>> {
  options.signal?.throwIfAborted();
  const output = await step(options.prompt, null);
  options.onPromptStep?.(output);
  const first: Hypothesis<C, X> = {
    tokens: [],
    logprobs: [],
    sum: 0,
    extras: output.extra === undefined ? [] : [output.extra],
    output,
  };
  if (options.maxNewTokens <= 0) return result(first, false);
  return options.numBeams > 1 && options.temperature === 0
    ? searchBeams(step, first, options)
    : searchOne(step, first, options);
}
