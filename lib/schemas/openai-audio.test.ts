import { describe, expect, it } from "vitest";
import { openAiAudioFormSchema, WHISPER_MODEL_NAME } from "@/lib/schemas/openai-audio";

describe("OpenAI audio form fields", () => {
  it.each([
    "whisper-1",
    "whisper-large-v3",
    "whisper-large-v3-turbo",
    "openai/whisper-tiny.en",
    "openai/whisper-base",
    "distil-whisper/distil-large-v3",
  ])("takes %s as this server's Whisper", (model) => {
    expect(WHISPER_MODEL_NAME.test(model)).toBe(true);
  });

  it.each(["gpt-4o-transcribe", "tts-1", "whisper", "whisper-2", "../whisper-1"])("refuses %s", (model) => {
    const parsed = openAiAudioFormSchema.safeParse({ model });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["model"]);
  });

  it("defaults to json with no granularities, and names a bad format or granularity", () => {
    expect(openAiAudioFormSchema.parse({ model: "whisper-1" })).toEqual({
      model: "whisper-1",
      response_format: "json",
      timestamp_granularities: [],
    });
    const bad = openAiAudioFormSchema.safeParse({
      model: "whisper-1",
      response_format: "diarized_json",
      timestamp_granularities: ["char"],
    });
    expect(bad.error?.issues.map((issue) => issue.path[0])).toEqual([
      "response_format",
      "timestamp_granularities",
    ]);
  });
});
