/**
 * espeak-ng's own synthesis: the voice that always works, in every language espeak has, before
 * any model is downloaded. Debian's espeak-ng is spawned with an argv array (never a shell); the
 * text goes in on stdin (so it can never be read as an option), the WAV comes back on stdout.
 * Voices come only from the BASIC_VOICES table; a request's id is never passed through.
 */
import { LIMITS } from "@/lib/limits";
import { BASIC_VOICES, isBasicVoice } from "@/lib/tts/voices";
import { PipeToolError, pipeTool } from "@/server/audio/pipe-tool";
import { type PcmAudio, parseWav16 } from "@/server/audio/wav";
import {
  EngineError,
  type PreparedInput,
  type SynthesisOptions,
  type TtsEngine,
} from "@/server/engines/tts/types";

/** espeak-ng's default rate (words per minute) and the range it accepts. */
const BASE_WPM = 175;
const MIN_WPM = 80;
const MAX_WPM = 450;
const ESPEAK_SAMPLE_RATE = 22_050;

export interface BasicPrepared extends PreparedInput {
  text: string;
  espeakVoice: string;
}

export function espeakArgs(espeakVoice: string, speed: number): string[] {
  const wpm = Math.round(Math.min(MAX_WPM, Math.max(MIN_WPM, BASE_WPM * speed)));
  // -b 1: the input is UTF-8. No -m: markup in the text is read as text, never as SSML.
  return ["--stdout", "--stdin", "-b", "1", "-v", espeakVoice, "-s", String(wpm)];
}

export class BasicEngine implements TtsEngine<BasicPrepared> {
  readonly name = "basic" as const;
  readonly sampleRate = ESPEAK_SAMPLE_RATE;
  readonly executionProvider = "espeak-ng";

  constructor(private readonly command = "espeak-ng") {}

  async prepare(text: string, options: SynthesisOptions): Promise<BasicPrepared> {
    if (!isBasicVoice(options.voice))
      throw new EngineError("basic", `"${options.voice}" is not a basic voice`);
    // espeak does its own phonemization; the token count is what the chunker measures (characters).
    return { text, espeakVoice: BASIC_VOICES[options.voice], tokenCount: text.trim() ? [...text].length : 0 };
  }

  async infer(prepared: BasicPrepared, options: SynthesisOptions): Promise<PcmAudio> {
    if (prepared.tokenCount === 0) return { samples: new Float32Array(0), sampleRate: this.sampleRate };
    try {
      const wav = await pipeTool(this.command, espeakArgs(prepared.espeakVoice, options.speed), {
        input: prepared.text,
        timeoutMs: LIMITS.tts.BASIC_SYNTH_TIMEOUT_MS,
        maxOutputBytes: LIMITS.tts.MAX_TOOL_OUTPUT_BYTES,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return parseWav16(wav);
    } catch (error) {
      if (error instanceof PipeToolError)
        throw new EngineError("basic", `espeak-ng failed: ${error.message}`);
      throw error;
    }
  }

  async dispose(): Promise<void> {}
}
