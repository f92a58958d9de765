import { describe, expect, it } from "vitest";
import { formatTranscript } from "@/lib/transcript/formats";
import { transcriptSchema } from "@/lib/transcript/types";
import { verboseJsonSchema } from "@/lib/transcript/verbose-json";

const transcript = transcriptSchema.parse({
  task: "translate",
  language: "de",
  durationSeconds: 7.5,
  text: "Good morning. See you.",
  segments: [0, 1].map((id) => ({
    id,
    seek: 0,
    start: id * 3,
    end: id * 3 + 2.5,
    text: id ? " See you." : " Good morning.",
    tokens: [50364],
    temperature: 0,
    avgLogprob: -0.2,
    compressionRatio: 1,
    noSpeechProb: 0.1,
  })),
  words: [{ word: "Good", start: 0, end: 0.4 }],
});

describe("verboseJsonSchema", () => {
  it("reads back what the job writes as transcript.json", () => {
    const parsed = verboseJsonSchema.parse(
      JSON.parse(formatTranscript(transcript, "verbose_json", ["segment", "word"])),
    );
    expect(parsed.language).toBe("german");
    expect(parsed.segments.map(({ start, end, text }) => ({ start, end, text }))).toEqual([
      { start: 0, end: 2.5, text: " Good morning." },
      { start: 3, end: 5.5, text: " See you." },
    ]);
    expect(parsed.words).toHaveLength(1);
  });

  it("treats a word-only file as having no segments, and refuses a file that is not a transcript", () => {
    const wordsOnly = JSON.parse(formatTranscript(transcript, "verbose_json", ["word"]));
    expect(verboseJsonSchema.parse(wordsOnly).segments).toEqual([]);
    expect(verboseJsonSchema.safeParse({ text: "hi" }).success).toBe(false);
    expect(verboseJsonSchema.safeParse({ ...wordsOnly, segments: [{ start: -1 }] }).success).toBe(false);
  });
});
