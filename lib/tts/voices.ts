/**
 * Published voice ids. A voice field is checked against these lists only: an id never becomes a
 * path, a URL or a file name by itself (the engines map it through fixed tables).
 */
import { z } from "zod";
import { KOKORO_VOICES } from "@/models/manifest";

export { KOKORO_VOICES };
export type KokoroVoice = (typeof KOKORO_VOICES)[number];

export const OPENAI_VOICES = [
  "alloy",
  "ash",
  "ballad",
  "coral",
  "echo",
  "fable",
  "onyx",
  "nova",
  "sage",
  "shimmer",
  "verse",
] as const;
export type OpenAiVoice = (typeof OPENAI_VOICES)[number];

/**
 * Closest Kokoro voice: the same name where Kokoro has one (alloy, echo, fable, nova, onyx);
 * otherwise the same gender and accent as OpenAI's voice, preferring Kokoro's best-rated voices.
 */
export const OPENAI_TO_KOKORO: Record<OpenAiVoice, KokoroVoice> = {
  alloy: "af_alloy",
  ash: "am_adam",
  ballad: "bm_george",
  coral: "af_heart",
  echo: "am_echo",
  fable: "bm_fable",
  onyx: "am_onyx",
  nova: "af_nova",
  sage: "af_sarah",
  shimmer: "af_bella",
  verse: "am_michael",
};

/** espeak-ng's own voices: id → espeak voice name (+variant). The id never reaches espeak itself. */
export const BASIC_VOICES = {
  basic_en_us: "en-us",
  basic_en_us_f: "en-us+f3",
  basic_en_gb: "en-gb",
  basic_en_gb_f: "en-gb+f3",
  basic_de: "de",
  basic_es: "es",
  basic_fr: "fr-fr",
  basic_it: "it",
  basic_nl: "nl",
  basic_pl: "pl",
  basic_pt: "pt",
  basic_ru: "ru",
  basic_sv: "sv",
} as const;
export type BasicVoice = keyof typeof BASIC_VOICES;
export const BASIC_VOICE_IDS = Object.keys(BASIC_VOICES) as BasicVoice[];

/** Piper voices are one model each; their id is the manifest id. */
export const PIPER_VOICES = ["piper-en-us-lessac-medium"] as const;
export type PiperVoice = (typeof PIPER_VOICES)[number];

export const VOICE_IDS = [...KOKORO_VOICES, ...OPENAI_VOICES, ...BASIC_VOICE_IDS, ...PIPER_VOICES] as const;
export type VoiceId = (typeof VOICE_IDS)[number];

export const voiceIdSchema = z.enum(VOICE_IDS as unknown as [VoiceId, ...VoiceId[]], {
  error: "must be a published voice id",
});

/** Voice family by Kokoro's prefix convention: a/b = American/British, f/m = female/male. */
export function kokoroAccent(voice: KokoroVoice): "en-us" | "en-gb" {
  return voice.startsWith("b") ? "en-gb" : "en-us";
}

/** When Kokoro is not installed, a Kokoro or OpenAI voice falls back to the basic voice of its kind. */
export function basicFallback(voice: KokoroVoice | OpenAiVoice): BasicVoice {
  const kokoro = (OPENAI_TO_KOKORO as Record<string, KokoroVoice>)[voice] ?? (voice as KokoroVoice);
  const female = kokoro.charAt(1) === "f";
  if (kokoroAccent(kokoro) === "en-gb") return female ? "basic_en_gb_f" : "basic_en_gb";
  return female ? "basic_en_us_f" : "basic_en_us";
}

export function isKokoroVoice(id: string): id is KokoroVoice {
  return (KOKORO_VOICES as readonly string[]).includes(id);
}
export function isOpenAiVoice(id: string): id is OpenAiVoice {
  return (OPENAI_VOICES as readonly string[]).includes(id);
}
export function isBasicVoice(id: string): id is BasicVoice {
  return Object.hasOwn(BASIC_VOICES, id);
}
export function isPiperVoice(id: string): id is PiperVoice {
  return (PIPER_VOICES as readonly string[]).includes(id);
}

/** A weighted mix of two Kokoro voices, written `af_bella(0.7)+af_sky(0.3)` (Kokoro-FastAPI's syntax). */
export interface VoiceBlend {
  voices: { id: KokoroVoice; weight: number }[];
}

const BLEND_PART = /^([a-z]{2}_[a-z]{1,16})(?:\((\d{1,3}(?:\.\d{1,4})?)\))?$/;

export const voiceBlendSchema = z
  .string()
  .max(64)
  .transform((value, ctx): VoiceBlend => {
    const parts = value.split("+");
    const voices: VoiceBlend["voices"] = [];
    for (const part of parts) {
      const match = BLEND_PART.exec(part);
      const id = match?.[1] ?? "";
      const weight = match?.[2] === undefined ? 1 : Number(match[2]);
      if (!match || !isKokoroVoice(id) || !(weight > 0)) {
        ctx.addIssue({ code: "custom", message: "must be a Kokoro voice id or two joined by +" });
        return z.NEVER;
      }
      voices.push({ id, weight });
    }
    if (voices.length > 2) {
      ctx.addIssue({ code: "custom", message: "blends at most two voices" });
      return z.NEVER;
    }
    const total = voices.reduce((sum, voice) => sum + voice.weight, 0);
    return { voices: voices.map((voice) => ({ id: voice.id, weight: voice.weight / total })) };
  });

export function isVoiceId(id: string): id is VoiceId {
  return (VOICE_IDS as readonly string[]).includes(id);
}

/** A blend's text (`af_bella(0.7)+af_sky(0.3)`), checked; plain ids are not blends. */
export function isVoiceBlend(value: string): boolean {
  return !isVoiceId(value) && voiceBlendSchema.safeParse(value).success;
}

/**
 * What a speech request's `voice` accepts: a published id, or a blend of two Kokoro voices.
 * Either way the value only ever selects from fixed tables; it never names a file.
 */
export const speechVoiceSchema = z
  .string()
  .max(64)
  .refine((value) => isVoiceId(value) || isVoiceBlend(value), {
    error: "must be a published voice id, or two Kokoro voices blended as af_bella(0.7)+af_sky(0.3)",
  });
