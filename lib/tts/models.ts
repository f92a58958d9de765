/**
 * Published model names and how a request picks an engine and a voice. `tts-1`, `tts-1-hd` and
 * `gpt-4o-mini-tts` (OpenAI's names) mean "the best engine installed": Kokoro, else Piper, else
 * espeak-ng's basic voice, which is always there.
 */
import { z } from "zod";
import {
  BASIC_VOICES,
  type BasicVoice,
  basicFallback,
  isBasicVoice,
  isKokoroVoice,
  isOpenAiVoice,
  isPiperVoice,
  isVoiceBlend,
  type KokoroVoice,
  OPENAI_TO_KOKORO,
  PIPER_VOICES,
  type PiperVoice,
  voiceBlendSchema,
} from "@/lib/tts/voices";

export const ENGINES = ["kokoro", "piper", "basic"] as const;
export type EngineName = (typeof ENGINES)[number];

export const OPENAI_MODELS = ["tts-1", "tts-1-hd", "gpt-4o-mini-tts"] as const;
export const MODEL_IDS = [...ENGINES, ...OPENAI_MODELS] as const;
export type ModelId = (typeof MODEL_IDS)[number];

export const modelIdSchema = z.enum(MODEL_IDS, { error: "must be a published model id" });

const PREFERENCE: readonly EngineName[] = ["kokoro", "piper", "basic"];

export type SpeechTarget =
  /** A Kokoro voice id, or a blend of two (`af_bella(0.7)+af_sky(0.3)`). */
  | { engine: "kokoro"; voice: KokoroVoice | string }
  | { engine: "piper"; voice: PiperVoice }
  | { engine: "basic"; voice: BasicVoice; espeakVoice: string };

export type TargetResult =
  | { ok: true; target: SpeechTarget }
  | { ok: false; reason: "engine_not_installed" | "voice_not_for_engine"; message: string };

function basic(voice: BasicVoice): SpeechTarget {
  return { engine: "basic", voice, espeakVoice: BASIC_VOICES[voice] };
}

/** The engine a model name means, given which engines are installed ("basic" always is). */
export function engineForModel(model: ModelId, installed: ReadonlySet<EngineName>): EngineName | undefined {
  if ((ENGINES as readonly string[]).includes(model)) {
    const engine = model as EngineName;
    return engine === "basic" || installed.has(engine) ? engine : undefined;
  }
  return PREFERENCE.find((engine) => engine === "basic" || installed.has(engine));
}

/** A blend is Kokoro's; without Kokoro it falls back to the basic voice of its first part. */
function resolveBlend(model: ModelId, blend: string, installed: ReadonlySet<EngineName>): TargetResult {
  const engine = engineForModel(model, installed);
  const first = voiceBlendSchema.parse(blend).voices[0]?.id ?? "af_heart";
  if (engine === "kokoro") return { ok: true, target: { engine, voice: blend } };
  if (engine === "basic") return { ok: true, target: basic(basicFallback(first)) };
  if (!engine)
    return { ok: false, reason: "engine_not_installed", message: `Model "${model}" is not installed` };
  return { ok: false, reason: "voice_not_for_engine", message: "Voice blends need the kokoro model" };
}

/** Model + voice (an id or a Kokoro blend) → the engine and its own voice, or a reason to act on. */
export function resolveSpeechTarget(
  model: ModelId,
  voice: string,
  installed: ReadonlySet<EngineName>,
): TargetResult {
  if (isVoiceBlend(voice)) return resolveBlend(model, voice, installed);
  const alias = (OPENAI_MODELS as readonly string[]).includes(model);
  // A voice of one family picks its engine under an alias: "tts-1" + "basic_de" is the basic engine.
  let engine = engineForModel(model, installed);
  if (alias && isBasicVoice(voice)) engine = "basic";
  if (alias && isPiperVoice(voice) && installed.has("piper")) engine = "piper";
  if (!engine)
    return { ok: false, reason: "engine_not_installed", message: `Model "${model}" is not installed` };

  if (engine === "kokoro") {
    if (isKokoroVoice(voice)) return { ok: true, target: { engine, voice } };
    if (isOpenAiVoice(voice)) return { ok: true, target: { engine, voice: OPENAI_TO_KOKORO[voice] } };
  }
  if (engine === "piper") {
    if (isPiperVoice(voice)) return { ok: true, target: { engine, voice } };
    // A Piper model is one voice: OpenAI names all mean it.
    if (isOpenAiVoice(voice) || alias) return { ok: true, target: { engine, voice: PIPER_VOICES[0] } };
  }
  if (engine === "basic") {
    if (isBasicVoice(voice)) return { ok: true, target: basic(voice) };
    if (isKokoroVoice(voice) || isOpenAiVoice(voice))
      return { ok: true, target: basic(basicFallback(voice)) };
    if (alias) return { ok: true, target: basic("basic_en_us") };
  }
  return { ok: false, reason: "voice_not_for_engine", message: `Voice "${voice}" is not a ${engine} voice` };
}
