/**
 * From Silero's per-frame speech probabilities to speech segments, then to the windows Whisper
 * reads (at most 30 s each, cut at pauses). Pure, so the rules are tested without a model.
 * The segment rules follow silero-vad's own get_speech_timestamps (hysteresis, minimum speech,
 * minimum silence, padding shared fairly between neighbours).
 */
import { LIMITS } from "@/lib/limits";

/** Silero v5/v6 at 16 kHz reads 512 new samples per call. */
export const VAD_FRAME_SAMPLES = 512;

export interface VadSettings {
  sampleRate: number;
  threshold: number;
  negThreshold: number;
  minSpeechMs: number;
  minSilenceMs: number;
  speechPadMs: number;
  maxWindowSeconds: number;
}

export const DEFAULT_VAD_SETTINGS: VadSettings = {
  sampleRate: LIMITS.stt.SAMPLE_RATE,
  threshold: LIMITS.stt.VAD_THRESHOLD,
  negThreshold: LIMITS.stt.VAD_NEG_THRESHOLD,
  minSpeechMs: LIMITS.stt.VAD_MIN_SPEECH_MS,
  minSilenceMs: LIMITS.stt.VAD_MIN_SILENCE_MS,
  speechPadMs: LIMITS.stt.VAD_SPEECH_PAD_MS,
  maxWindowSeconds: LIMITS.stt.WINDOW_MAX_SECONDS,
};

/** A span of samples, [start, end). */
export interface SampleSpan {
  start: number;
  end: number;
}

/** A stretch of audio Whisper reads in one go, and the speech inside it. */
export interface AudioWindow extends SampleSpan {
  speech: SampleSpan[];
}

const samplesFor = (ms: number, settings: VadSettings) => Math.round((ms * settings.sampleRate) / 1000);

/** Speech spans in samples, padded and clipped to the audio. */
export function speechSegments(
  probabilities: Float32Array,
  totalSamples: number,
  settings: VadSettings = DEFAULT_VAD_SETTINGS,
): SampleSpan[] {
  const minSpeech = samplesFor(settings.minSpeechMs, settings);
  const minSilence = samplesFor(settings.minSilenceMs, settings);
  const pad = samplesFor(settings.speechPadMs, settings);
  const spans: SampleSpan[] = [];
  let start = -1;
  let silenceFrom = 0;

  for (let frame = 0; frame < probabilities.length; frame++) {
    const p = probabilities[frame] ?? 0;
    const at = frame * VAD_FRAME_SAMPLES;
    if (p >= settings.threshold) {
      silenceFrom = 0;
      if (start < 0) start = at;
      continue;
    }
    // Between the two thresholds nothing changes: that hysteresis keeps a word from flickering.
    if (start < 0 || p >= settings.negThreshold) continue;
    if (!silenceFrom) silenceFrom = at;
    if (at - silenceFrom < minSilence) continue;
    if (silenceFrom - start >= minSpeech) spans.push({ start, end: silenceFrom });
    start = -1;
    silenceFrom = 0;
  }
  if (start >= 0 && totalSamples - start >= minSpeech) spans.push({ start, end: totalSamples });

  // Pad each span; where two spans are closer than two pads, split the gap between them.
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i] as SampleSpan;
    if (i === 0) span.start = Math.max(0, span.start - pad);
    const next = spans[i + 1];
    if (!next) {
      span.end = Math.min(totalSamples, span.end + pad);
      continue;
    }
    const gap = next.start - span.end;
    if (gap < 2 * pad) {
      span.end += Math.floor(gap / 2);
      next.start = Math.max(0, next.start - Math.floor(gap / 2));
    } else {
      span.end = Math.min(totalSamples, span.end + pad);
      next.start = Math.max(0, next.start - pad);
    }
  }
  return spans;
}

/** The frame with the lowest speech probability in [from, to) samples: the best place to cut. */
function quietestCut(probabilities: Float32Array, from: number, to: number): number {
  let best = to;
  let bestP = Number.POSITIVE_INFINITY;
  for (let frame = Math.ceil(from / VAD_FRAME_SAMPLES); frame * VAD_FRAME_SAMPLES < to; frame++) {
    const p = probabilities[frame] ?? 1;
    if (p < bestP) {
      bestP = p;
      best = frame * VAD_FRAME_SAMPLES;
    }
  }
  return best;
}

/**
 * Groups speech into windows of at most maxWindowSeconds. Windows end in the silence between
 * segments; a single segment longer than a window is cut at its quietest frame in the second
 * half of the window, so a word is split only when someone talks 15 s without a breath.
 */
export function planWindows(
  spans: readonly SampleSpan[],
  probabilities: Float32Array,
  settings: VadSettings = DEFAULT_VAD_SETTINGS,
): AudioWindow[] {
  const max = Math.floor(settings.maxWindowSeconds * settings.sampleRate);
  const windows: AudioWindow[] = [];
  let current: AudioWindow | undefined;

  const pieces: SampleSpan[] = [];
  for (const span of spans) {
    let start = span.start;
    while (span.end - start > max) {
      const cut = quietestCut(probabilities, start + Math.floor(max / 2), start + max);
      pieces.push({ start, end: cut });
      start = cut;
    }
    pieces.push({ start, end: span.end });
  }

  for (const piece of pieces) {
    if (current && piece.end - current.start <= max) {
      current.end = piece.end;
      current.speech.push(piece);
      continue;
    }
    current = { start: piece.start, end: piece.end, speech: [piece] };
    windows.push(current);
  }
  return windows;
}
