/**
 * Whisper's log-mel features, computed here instead of by transformers.js's generic
 * `spectrogram()`: same math (reflect padding, periodic Hann window, |STFT|², mel filters,
 * log10, clamp to max − 8, (x + 4) / 4), but the 400-point frames go through a real FFT built on
 * a mixed-radix complex FFT of 200 points (4·2·5·5) instead of a Bluestein transform padded to
 * 1,024, and the mel filters are applied over each filter's non-zero bins only. Features are a
 * fixed cost per 30 s window that a GPU does not shrink, so they count against the pipeline's
 * overhead floor; the test holds the result equal to transformers.js's within float32 rounding.
 */
import { z } from "zod";

/** The parts of a Whisper `preprocessor_config.json` the features depend on. */
export const whisperFeatureConfigSchema = z.object({
  feature_size: z.number().int().positive(),
  n_fft: z.literal(400),
  hop_length: z.number().int().positive(),
  n_samples: z.number().int().positive(),
  nb_max_frames: z.number().int().positive(),
  mel_filters: z.array(z.array(z.number())).min(1),
});
export type WhisperFeatureConfig = z.infer<typeof whisperFeatureConfigSchema>;

const FRAME = 400;
const HALF = FRAME / 2;
const BINS = HALF + 1;
/** transformers.js's `mel_floor` for Whisper. */
const MEL_FLOOR = 1e-10;

/** One pass of butterflies: blocks of `span` points, `radix` sub-transforms of `span / radix`. */
interface Stage {
  radix: 2 | 4 | 5;
  span: number;
  /** W_span^(q·k) for q = 1..radix−1 and k = 0..span/radix−1, as [cos, sin] pairs. */
  twiddles: Float64Array;
}

const C5_1 = Math.cos((2 * Math.PI) / 5);
const C5_2 = Math.cos((4 * Math.PI) / 5);
const S5_1 = Math.sin((2 * Math.PI) / 5);
const S5_2 = Math.sin((4 * Math.PI) / 5);

/**
 * Forward complex FFT of a fixed size whose factors are 2, 4 and 5: the input is put in
 * digit-reversed order once, then each stage runs hand-written radix-2/4/5 butterflies with
 * precomputed twiddles (the recursion of decimation in time, unrolled into passes).
 */
class MixedRadixFft {
  private readonly order: Int32Array;
  private readonly stages: Stage[] = [];

  constructor(readonly size: number) {
    const radices: (2 | 4 | 5)[] = [];
    let rest = size;
    for (const radix of [4, 2, 5] as const) {
      while (rest % radix === 0) {
        radices.push(radix);
        rest /= radix;
      }
    }
    if (rest !== 1) throw new Error(`FFT size ${size} has a factor other than 2 and 5`);
    // Where each input lands after the recursion's decimations (outermost radix first).
    this.order = new Int32Array(size);
    const place = (inOffset: number, stride: number, outOffset: number, n: number, level: number) => {
      if (n === 1) {
        this.order[outOffset] = inOffset;
        return;
      }
      const radix = radices[level] as number;
      const m = n / radix;
      for (let q = 0; q < radix; q++)
        place(inOffset + q * stride, stride * radix, outOffset + q * m, m, level + 1);
    };
    place(0, 1, 0, size, 0);
    // Passes run from the innermost radix out; the span grows by each radix.
    let span = 1;
    for (const radix of [...radices].reverse()) {
      span *= radix;
      const m = span / radix;
      const twiddles = new Float64Array(2 * (radix - 1) * m);
      for (let q = 1; q < radix; q++) {
        for (let k = 0; k < m; k++) {
          const angle = (-2 * Math.PI * q * k) / span;
          const at = 2 * ((q - 1) * m + k);
          twiddles[at] = Math.cos(angle);
          twiddles[at + 1] = Math.sin(angle);
        }
      }
      this.stages.push({ radix, span, twiddles });
    }
  }

  /** out = DFT(in); all four of length `size`. */
  transform(inRe: Float64Array, inIm: Float64Array, re: Float64Array, im: Float64Array): void {
    const { order, size } = this;
    for (let i = 0; i < size; i++) {
      const from = order[i] as number;
      re[i] = inRe[from] as number;
      im[i] = inIm[from] as number;
    }
    for (const stage of this.stages) {
      if (stage.radix === 2) radix2(stage, re, im, size);
      else if (stage.radix === 4) radix4(stage, re, im, size);
      else radix5(stage, re, im, size);
    }
  }
}

function radix2({ span, twiddles }: Stage, re: Float64Array, im: Float64Array, size: number): void {
  const m = span / 2;
  for (let block = 0; block < size; block += span) {
    for (let k = 0; k < m; k++) {
      const i0 = block + k;
      const i1 = i0 + m;
      const c = twiddles[2 * k] as number;
      const s = twiddles[2 * k + 1] as number;
      const r1 = re[i1] as number;
      const j1 = im[i1] as number;
      const tr = r1 * c - j1 * s;
      const ti = r1 * s + j1 * c;
      const r0 = re[i0] as number;
      const j0 = im[i0] as number;
      re[i0] = r0 + tr;
      im[i0] = j0 + ti;
      re[i1] = r0 - tr;
      im[i1] = j0 - ti;
    }
  }
}

function radix4({ span, twiddles }: Stage, re: Float64Array, im: Float64Array, size: number): void {
  const m = span / 4;
  for (let block = 0; block < size; block += span) {
    for (let k = 0; k < m; k++) {
      const i0 = block + k;
      const i1 = i0 + m;
      const i2 = i1 + m;
      const i3 = i2 + m;
      const [r1, j1] = twiddle(re[i1] as number, im[i1] as number, twiddles, k);
      const [r2, j2] = twiddle(re[i2] as number, im[i2] as number, twiddles, m + k);
      const [r3, j3] = twiddle(re[i3] as number, im[i3] as number, twiddles, 2 * m + k);
      const r0 = re[i0] as number;
      const j0 = im[i0] as number;
      // X_r = Σ a_q (−i)^(q·r).
      const ar = r0 + r2;
      const ai = j0 + j2;
      const br = r0 - r2;
      const bi = j0 - j2;
      const cr = r1 + r3;
      const ci = j1 + j3;
      const dr = r1 - r3;
      const di = j1 - j3;
      re[i0] = ar + cr;
      im[i0] = ai + ci;
      re[i1] = br + di;
      im[i1] = bi - dr;
      re[i2] = ar - cr;
      im[i2] = ai - ci;
      re[i3] = br - di;
      im[i3] = bi + dr;
    }
  }
}

function radix5({ span, twiddles }: Stage, re: Float64Array, im: Float64Array, size: number): void {
  const m = span / 5;
  for (let block = 0; block < size; block += span) {
    for (let k = 0; k < m; k++) {
      const i0 = block + k;
      const i1 = i0 + m;
      const i2 = i1 + m;
      const i3 = i2 + m;
      const i4 = i3 + m;
      const [r1, j1] = twiddle(re[i1] as number, im[i1] as number, twiddles, k);
      const [r2, j2] = twiddle(re[i2] as number, im[i2] as number, twiddles, m + k);
      const [r3, j3] = twiddle(re[i3] as number, im[i3] as number, twiddles, 2 * m + k);
      const [r4, j4] = twiddle(re[i4] as number, im[i4] as number, twiddles, 3 * m + k);
      const r0 = re[i0] as number;
      const j0 = im[i0] as number;
      const t1r = r1 + r4;
      const t1i = j1 + j4;
      const t2r = r2 + r3;
      const t2i = j2 + j3;
      const t3r = r1 - r4;
      const t3i = j1 - j4;
      const t4r = r2 - r3;
      const t4i = j2 - j3;
      const b1r = r0 + C5_1 * t1r + C5_2 * t2r;
      const b1i = j0 + C5_1 * t1i + C5_2 * t2i;
      const b2r = r0 + C5_2 * t1r + C5_1 * t2r;
      const b2i = j0 + C5_2 * t1i + C5_1 * t2i;
      // −i·(u + iv) = v − iu.
      const e1r = S5_1 * t3r + S5_2 * t4r;
      const e1i = S5_1 * t3i + S5_2 * t4i;
      const e2r = S5_2 * t3r - S5_1 * t4r;
      const e2i = S5_2 * t3i - S5_1 * t4i;
      re[i0] = r0 + t1r + t2r;
      im[i0] = j0 + t1i + t2i;
      re[i1] = b1r + e1i;
      im[i1] = b1i - e1r;
      re[i4] = b1r - e1i;
      im[i4] = b1i + e1r;
      re[i2] = b2r + e2i;
      im[i2] = b2i - e2r;
      re[i3] = b2r - e2i;
      im[i3] = b2i + e2r;
    }
  }
}

function twiddle(r: number, j: number, twiddles: Float64Array, at: number): [number, number] {
  const c = twiddles[2 * at] as number;
  const s = twiddles[2 * at + 1] as number;
  return [r * c - j * s, r * s + j * c];
}

/** Filters as (first non-zero bin, weights from there), so each costs only its own bins. */
function sparseFilters(filters: readonly (readonly number[])[]): { first: number; weights: Float32Array }[] {
  return filters.map((row) => {
    if (row.length !== BINS) throw new Error(`A mel filter has ${row.length} bins, not ${BINS}`);
    let first = row.findIndex((weight) => weight !== 0);
    if (first < 0) first = 0;
    let last = row.length - 1;
    while (last > first && row[last] === 0) last--;
    return { first, weights: Float32Array.from(row.slice(first, last + 1)) };
  });
}

export class WhisperLogMel {
  private readonly fft = new MixedRadixFft(HALF);
  private readonly window = new Float64Array(FRAME);
  private readonly filters: { first: number; weights: Float32Array }[];
  /** e^(−2πik/400) for the real-FFT split. */
  private readonly splitCos = new Float64Array(BINS);
  private readonly splitSin = new Float64Array(BINS);

  constructor(private readonly config: WhisperFeatureConfig) {
    if (config.mel_filters.length !== config.feature_size) {
      throw new Error(`${config.mel_filters.length} mel filters for feature_size ${config.feature_size}`);
    }
    // Periodic Hann, as torch.hann_window and transformers.js's window_function(400, "hann").
    for (let i = 0; i < FRAME; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FRAME);
    for (let k = 0; k < BINS; k++) {
      this.splitCos[k] = Math.cos((2 * Math.PI * k) / FRAME);
      this.splitSin[k] = -Math.sin((2 * Math.PI * k) / FRAME);
    }
    this.filters = sparseFilters(config.mel_filters);
  }

  get melBins(): number {
    return this.config.feature_size;
  }

  get frames(): number {
    return this.config.nb_max_frames;
  }

  /** [mel bins × frames] row-major, for up to `n_samples` of 16 kHz audio (zero-padded, or cut). */
  compute(samples: Float32Array): Float32Array {
    const { n_samples, hop_length, nb_max_frames } = this.config;
    const waveform = new Float32Array(n_samples);
    waveform.set(samples.length > n_samples ? samples.subarray(0, n_samples) : samples);
    const padded = reflectPad(waveform, HALF);
    const frames = Math.min(nb_max_frames, Math.floor((padded.length - FRAME) / hop_length) + 1);
    const power = this.powerSpectra(padded, frames, hop_length);

    const mel = new Float32Array(this.filters.length * nb_max_frames);
    let logMax = Number.NEGATIVE_INFINITY;
    this.filters.forEach(({ first, weights }, filter) => {
      const row = filter * nb_max_frames;
      for (let frame = 0; frame < nb_max_frames; frame++) {
        let sum = 0;
        if (frame < frames) {
          const base = frame * BINS + first;
          for (let j = 0; j < weights.length; j++)
            sum += (weights[j] as number) * (power[base + j] as number);
        }
        const value = Math.log10(Math.max(MEL_FLOOR, Math.fround(sum)));
        mel[row + frame] = value;
        if (value > logMax) logMax = value;
      }
    });
    const floor = Math.fround(logMax) - 8;
    for (let i = 0; i < mel.length; i++) mel[i] = (Math.max(mel[i] as number, floor) + 4) / 4;
    return mel;
  }

  /** |FFT|² of each windowed frame, [frames × 201], from one 200-point complex FFT per frame. */
  private powerSpectra(padded: Float32Array, frames: number, hop: number): Float32Array {
    const power = new Float32Array(frames * BINS);
    const zRe = new Float64Array(HALF);
    const zIm = new Float64Array(HALF);
    const fRe = new Float64Array(HALF);
    const fIm = new Float64Array(HALF);
    const { window, splitCos, splitSin } = this;
    for (let frame = 0; frame < frames; frame++) {
      const offset = frame * hop;
      // Even samples as the real part, odd ones as the imaginary part.
      for (let n = 0; n < HALF; n++) {
        zRe[n] = (padded[offset + 2 * n] as number) * (window[2 * n] as number);
        zIm[n] = (padded[offset + 2 * n + 1] as number) * (window[2 * n + 1] as number);
      }
      this.fft.transform(zRe, zIm, fRe, fIm);
      const out = frame * BINS;
      for (let k = 0; k <= HALF; k++) {
        const a = k % HALF;
        const b = (HALF - k) % HALF;
        const zkRe = fRe[a] as number;
        const zkIm = fIm[a] as number;
        const znRe = fRe[b] as number;
        const znIm = -(fIm[b] as number);
        // X[k] = E[k] + e^(−2πik/N)·O[k], E = (Z[k] + conj Z[N/2−k]) / 2, O = (Z[k] − conj Z[N/2−k]) / 2i.
        const eRe = (zkRe + znRe) / 2;
        const eIm = (zkIm + znIm) / 2;
        const oRe = (zkIm - znIm) / 2;
        const oIm = -(zkRe - znRe) / 2;
        const c = splitCos[k] as number;
        const s = splitSin[k] as number;
        const re = eRe + oRe * c - oIm * s;
        const im = eIm + oRe * s + oIm * c;
        power[out + k] = re * re + im * im;
      }
    }
    return power;
  }
}

/** numpy's "reflect" padding (the edge sample is not repeated). */
function reflectPad(samples: Float32Array, pad: number): Float32Array {
  const padded = new Float32Array(samples.length + 2 * pad);
  padded.set(samples, pad);
  const last = samples.length - 1;
  for (let i = 1; i <= pad; i++) {
    padded[pad - i] = samples[i] as number;
    padded[pad + last + i] = samples[last - i] as number;
  }
  return padded;
}

/**
 * The fast features for a loaded processor, when its settings are the ones computed here (400-point
 * frames, mel filters given or computed by transformers.js), run once on silence so the first
 * real window does not pay for the JIT's warm-up; undefined means the processor keeps the job.
 */
export function logMelFor(processorConfig: unknown): WhisperLogMel | undefined {
  const parsed = whisperFeatureConfigSchema.safeParse(processorConfig);
  if (!parsed.success || parsed.data.mel_filters.length !== parsed.data.feature_size) return undefined;
  const logMel = new WhisperLogMel(parsed.data);
  logMel.compute(new Float32Array(parsed.data.n_samples));
  return logMel;
}
