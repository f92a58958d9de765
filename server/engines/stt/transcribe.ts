/**
 * The speech-to-text pipeline: decode (ffmpeg, 16 kHz mono) → Silero VAD → windows of at most
 * 30 s cut at pauses → Whisper per window → one transcript with absolute timestamps. Reports
 * progress as (fraction, stage) and stops promptly when its AbortSignal fires. Silence is not an
 * error: it yields an empty transcript.
 */
import type { AudioLimits } from "@/lib/audio/limits";
import { ApiError } from "@/lib/errors";
import { LIMITS } from "@/lib/limits";
import { whisperLanguageCode } from "@/lib/transcript/languages";
import type { Transcript, TranscriptSegment, TranscriptWord } from "@/lib/transcript/types";
import { type AudioInput, decodeAudio } from "@/server/audio/decode";
import { needsFallback, temperatureSchedule } from "@/server/engines/stt/temperature-fallback";
import type { SileroVad } from "@/server/engines/stt/vad";
import type { AudioWindow } from "@/server/engines/stt/vad-segments";
import type { WhisperEngine, WhisperOptions, WindowResult, WordTiming } from "@/server/engines/stt/whisper";

export type TranscribeStage = "decoding" | "detecting_speech" | "transcribing" | "done";

export interface TranscribeProgress {
  /** 0…1 over the whole job. */
  fraction: number;
  stage: TranscribeStage;
}

export interface SttEngines {
  vad: SileroVad;
  whisper: WhisperEngine;
}

export interface TranscribeOptions extends Omit<WhisperOptions, "signal" | "onFirstLogits"> {
  signal?: AbortSignal;
  onProgress?: (progress: TranscribeProgress) => void;
  /** Feed each window's text to the next as its prompt (Whisper's condition_on_previous_text). */
  conditionOnPreviousText?: boolean;
  /** Decode a failed-looking window again, hotter (openai/whisper's fallback; default true). */
  temperatureFallback?: boolean;
}

export interface FileTranscribeOptions extends TranscribeOptions {
  limits: AudioLimits;
  tempRoot?: string;
}

const SAMPLE_RATE = LIMITS.stt.SAMPLE_RATE;
/** OpenAI's `seek` counts 10 ms mel frames. */
const SAMPLES_PER_SEEK = SAMPLE_RATE / 100;
/** Shares of the progress bar: decoding and VAD are quick next to Whisper. */
const DECODED_AT = 0.05;
const VAD_DONE_AT = 0.1;

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

function placeWindow(window: AudioWindow, result: WindowResult, firstId: number, temperature: number) {
  const offset = window.start / SAMPLE_RATE;
  const limit = window.end / SAMPLE_RATE;
  const at = (seconds: number) => round(Math.min(limit, offset + seconds));
  const segments: TranscriptSegment[] = result.segments
    .filter((segment) => segment.text.trim().length > 0)
    .map((segment, index) => ({
      id: firstId + index,
      seek: Math.round(window.start / SAMPLES_PER_SEEK),
      start: at(segment.start),
      end: at(segment.end),
      text: segment.text,
      tokens: segment.tokens,
      temperature,
      avgLogprob: segment.avgLogprob,
      compressionRatio: segment.compressionRatio,
      noSpeechProb: segment.noSpeechProb,
    }));
  const words: TranscriptWord[] | undefined = result.words?.map((word) => ({
    word: word.word,
    start: at(word.start),
    end: at(word.end),
  }));
  return { segments, words };
}

/** A given language as its Whisper code; an unknown one is refused before any work is done. */
function requestedLanguage(language: string | undefined): string | undefined {
  if (language === undefined) return undefined;
  const code = whisperLanguageCode(language);
  if (!code) throw new ApiError("bad_request", "language", `Unknown language "${language}"`);
  return code;
}

/** Runs VAD and Whisper over decoded 16 kHz mono samples. */
export async function transcribeSamples(
  samples: Float32Array,
  engines: SttEngines,
  options: TranscribeOptions = {},
): Promise<Transcript> {
  const { signal, onProgress } = options;
  const task = options.task ?? "transcribe";
  const temperature = options.temperature ?? 0;
  const durationSeconds = round(samples.length / SAMPLE_RATE);
  let language = requestedLanguage(options.language);

  const { windows } = await engines.vad.detect(samples, undefined, signal);
  onProgress?.({ fraction: VAD_DONE_AT, stage: "detecting_speech" });

  const segments: TranscriptSegment[] = [];
  const words: TranscriptWord[] = [];
  let anyWords = false;
  let wordTiming: WordTiming | undefined;
  let previousText = "";
  for (const [index, window] of windows.entries()) {
    signal?.throwIfAborted();
    const prompt = [options.prompt, options.conditionOnPreviousText ? previousText : ""]
      .filter((part) => part?.trim())
      .join(" ");
    const schedule = options.temperatureFallback === false ? [temperature] : temperatureSchedule(temperature);
    // The first window's detected language holds for the rest, so one file has one language.
    const prepared = await engines.whisper.prepareWindow(samples.subarray(window.start, window.end), {
      language,
      signal,
    });
    let result: WindowResult | undefined;
    let used = temperature;
    for (const [attempt, hotter] of schedule.entries()) {
      used = hotter;
      result = await engines.whisper.decodeWindow(prepared, {
        ...options,
        prompt: prompt || undefined,
        temperature: hotter,
        // One seed per window and attempt: sampling is reproducible, yet no two attempts repeat.
        seed: (options.seed ?? 0) + index * schedule.length + attempt,
        signal,
        onFirstLogits: undefined,
      });
      if (!needsFallback(result)) break;
    }
    if (!result) continue;
    language ??= result.language;
    if (result.wordTiming) wordTiming = result.wordTiming;
    const placed = placeWindow(window, result, segments.length, used);
    segments.push(...placed.segments);
    if (placed.words) {
      anyWords = true;
      words.push(...placed.words);
    }
    previousText = placed.segments.map((segment) => segment.text).join("");
    onProgress?.({
      fraction: VAD_DONE_AT + ((1 - VAD_DONE_AT) * (index + 1)) / windows.length,
      stage: "transcribing",
    });
  }

  onProgress?.({ fraction: 1, stage: "done" });
  return {
    task,
    // Silence has no language to detect; report the one asked for, else English as OpenAI does.
    language: language ?? "en",
    durationSeconds,
    text: segments
      .map((segment) => segment.text)
      .join("")
      .trim(),
    segments,
    ...(anyWords ? { words, ...(wordTiming ? { wordTimestamps: wordTiming } : {}) } : {}),
  };
}

/** The whole pipeline on an upload (bytes) or a file on disk. */
export async function transcribe(
  input: AudioInput,
  engines: SttEngines,
  options: FileTranscribeOptions,
): Promise<Transcript> {
  requestedLanguage(options.language);
  options.onProgress?.({ fraction: 0, stage: "decoding" });
  const decoded = await decodeAudio(input, {
    limits: options.limits,
    signal: options.signal,
    tempRoot: options.tempRoot,
  });
  options.onProgress?.({ fraction: DECODED_AT, stage: "detecting_speech" });
  return transcribeSamples(decoded.samples, engines, options);
}
