import { describe, expect, it } from "vitest";
import { type EngineName, modelIdSchema, resolveSpeechTarget } from "@/lib/tts/models";
import {
  KOKORO_VOICES,
  OPENAI_TO_KOKORO,
  OPENAI_VOICES,
  voiceBlendSchema,
  voiceIdSchema,
} from "@/lib/tts/voices";

const all = new Set<EngineName>(["kokoro", "piper", "basic"]);
const none = new Set<EngineName>();

describe("published ids", () => {
  it("accepts only listed model and voice ids, never a path, URL or file name", () => {
    for (const id of ["kokoro", "piper", "basic", "tts-1", "tts-1-hd", "gpt-4o-mini-tts"]) {
      expect(modelIdSchema.safeParse(id).success).toBe(true);
    }
    for (const voice of [...KOKORO_VOICES, ...OPENAI_VOICES, "basic_en_us", "piper-en-us-lessac-medium"]) {
      expect(voiceIdSchema.safeParse(voice).success).toBe(true);
    }
    const hostile = [
      "../../etc/passwd",
      "/etc/passwd",
      "voices/af_heart.bin",
      "af_heart.bin",
      "https://example.com/model.onnx",
      "file:///tmp/x",
      "af_heart\u0000",
      "AF_HEART",
      "",
      "constructor",
      "__proto__",
    ];
    for (const value of hostile) {
      expect(modelIdSchema.safeParse(value).success, value).toBe(false);
      expect(voiceIdSchema.safeParse(value).success, value).toBe(false);
      expect(voiceBlendSchema.safeParse(value).success, value).toBe(false);
    }
  });

  it("maps every OpenAI voice to a Kokoro voice", () => {
    for (const voice of OPENAI_VOICES) expect(KOKORO_VOICES).toContain(OPENAI_TO_KOKORO[voice]);
    expect(OPENAI_TO_KOKORO.nova).toBe("af_nova");
    expect(OPENAI_TO_KOKORO.fable).toBe("bm_fable");
  });

  it("parses two-voice blends with normalised weights", () => {
    expect(voiceBlendSchema.parse("af_bella")).toEqual({ voices: [{ id: "af_bella", weight: 1 }] });
    expect(voiceBlendSchema.parse("af_bella(3)+af_sky(1)")).toEqual({
      voices: [
        { id: "af_bella", weight: 0.75 },
        { id: "af_sky", weight: 0.25 },
      ],
    });
    expect(voiceBlendSchema.safeParse("af_bella+af_sky+am_adam").success).toBe(false);
    expect(voiceBlendSchema.safeParse("af_bella(0)").success).toBe(false);
    expect(voiceBlendSchema.safeParse("af_bella(1)+xx_nobody").success).toBe(false);
  });
});

describe("resolveSpeechTarget", () => {
  it("sends OpenAI's model names to the best engine installed", () => {
    expect(resolveSpeechTarget("tts-1", "nova", all)).toEqual({
      ok: true,
      target: { engine: "kokoro", voice: "af_nova" },
    });
    expect(resolveSpeechTarget("tts-1-hd", "nova", new Set(["piper"]))).toMatchObject({
      target: { engine: "piper" },
    });
    expect(resolveSpeechTarget("gpt-4o-mini-tts", "nova", none)).toEqual({
      ok: true,
      target: { engine: "basic", voice: "basic_en_us_f", espeakVoice: "en-us+f3" },
    });
    expect(resolveSpeechTarget("tts-1", "fable", none)).toMatchObject({ target: { voice: "basic_en_gb" } });
  });

  it("refuses an engine that is not installed and a voice of another engine", () => {
    expect(resolveSpeechTarget("kokoro", "af_heart", none)).toMatchObject({
      ok: false,
      reason: "engine_not_installed",
    });
    expect(resolveSpeechTarget("kokoro", "basic_de", all)).toMatchObject({
      ok: false,
      reason: "voice_not_for_engine",
    });
    expect(resolveSpeechTarget("basic", "basic_de", none)).toMatchObject({
      ok: true,
      target: { espeakVoice: "de" },
    });
  });
});
