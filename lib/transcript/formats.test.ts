import { describe, expect, it } from "vitest";
import { formatTimestamp, formatTranscript, toVerboseJson } from "@/lib/transcript/formats";
import { type Transcript, type TranscriptSegment, transcriptSchema } from "@/lib/transcript/types";

function segment(id: number, start: number, end: number, text: string): TranscriptSegment {
  return {
    id,
    seek: Math.round(start * 100),
    start,
    end,
    text,
    tokens: [50364 + id],
    temperature: 0,
    avgLogprob: -0.25,
    compressionRatio: 1.1,
    noSpeechProb: 0.01,
  };
}

const transcript: Transcript = transcriptSchema.parse({
  task: "transcribe",
  language: "en",
  durationSeconds: 3725.5,
  text: "Hello there. Fish & chips <b>now</b>. A --> B",
  segments: [
    segment(0, 0, 2.4, " Hello there."),
    segment(1, 2.4, 5.0004, " Fish & chips <b>now</b>."),
    segment(2, 3723.9995, 3725.5, " A --> B\n\nsecond line"),
    segment(3, 3725.5, 3725.5, "   "),
  ],
  words: [
    { word: "Hello", start: 0, end: 0.5 },
    { word: "there.", start: 0.5, end: 1.1 },
  ],
});

const empty: Transcript = { task: "transcribe", language: "en", durationSeconds: 3, text: "", segments: [] };

describe("formatTimestamp", () => {
  it("writes hours, minutes, seconds and rounded milliseconds", () => {
    expect(formatTimestamp(0, ",")).toBe("00:00:00,000");
    expect(formatTimestamp(2.4, ",")).toBe("00:00:02,400");
    expect(formatTimestamp(5.0004, ".")).toBe("00:00:05.000");
    expect(formatTimestamp(59.9996, ".")).toBe("00:01:00.000");
    expect(formatTimestamp(3723.9995, ",")).toBe("01:02:04,000");
    expect(formatTimestamp(-1, ",")).toBe("00:00:00,000");
    expect(formatTimestamp(100 * 3600, ".")).toBe("100:00:00.000");
  });
});

describe("formatTranscript", () => {
  it("text: the transcript and a newline", () => {
    expect(formatTranscript(transcript, "text")).toBe(`${transcript.text}\n`);
    expect(formatTranscript(empty, "text")).toBe("\n");
  });

  it("json: only the text", () => {
    expect(JSON.parse(formatTranscript(transcript, "json"))).toEqual({ text: transcript.text });
    expect(formatTranscript(empty, "json")).toBe('{"text":""}');
  });

  it("srt: numbered cues, comma milliseconds, one line each, no arrows in text, empty cues dropped", () => {
    expect(formatTranscript(transcript, "srt")).toBe(
      [
        "1",
        "00:00:00,000 --> 00:00:02,400",
        "Hello there.",
        "",
        "2",
        "00:00:02,400 --> 00:00:05,000",
        "Fish & chips <b>now</b>.",
        "",
        "3",
        "01:02:04,000 --> 01:02:05,500",
        "A -> B second line",
        "",
        "",
      ].join("\n"),
    );
    expect(formatTranscript(empty, "srt")).toBe("");
  });

  it("vtt: a header, dot milliseconds, escaped markup", () => {
    expect(formatTranscript(transcript, "vtt")).toBe(
      [
        "WEBVTT",
        "",
        "00:00:00.000 --> 00:00:02.400",
        "Hello there.",
        "",
        "00:00:02.400 --> 00:00:05.000",
        "Fish &amp; chips &lt;b&gt;now&lt;/b&gt;.",
        "",
        "01:02:04.000 --> 01:02:05.500",
        "A -&gt; B second line",
        "",
        "",
      ].join("\n"),
    );
    expect(formatTranscript(empty, "vtt")).toBe("WEBVTT\n\n");
  });

  it("verbose_json: OpenAI's field names, the language's name, segments by default", () => {
    const body = JSON.parse(formatTranscript(transcript, "verbose_json"));
    expect(body).toMatchObject({
      task: "transcribe",
      language: "english",
      duration: 3725.5,
      text: transcript.text,
    });
    expect(body.segments[1]).toEqual({
      id: 1,
      seek: 240,
      start: 2.4,
      end: 5.0004,
      text: " Fish & chips <b>now</b>.",
      tokens: [50365],
      temperature: 0,
      avg_logprob: -0.25,
      compression_ratio: 1.1,
      no_speech_prob: 0.01,
    });
    expect(body.words).toBeUndefined();
  });

  it("verbose_json: words when asked for, segments dropped when only words were asked for", () => {
    const both = toVerboseJson(transcript, ["segment", "word"]);
    expect(both.words).toHaveLength(2);
    expect(both.segments).toHaveLength(4);
    const wordsOnly = toVerboseJson(transcript, ["word"]);
    expect(wordsOnly.segments).toBeUndefined();
    expect(wordsOnly.words?.[0]).toEqual({ word: "Hello", start: 0, end: 0.5 });
    // Asked for words a model could not time: no invented words.
    expect(toVerboseJson({ ...transcript, words: undefined }, ["word"]).words).toBeUndefined();
  });

  it("verbose_json of an empty transcript", () => {
    expect(JSON.parse(formatTranscript(empty, "verbose_json"))).toEqual({
      task: "transcribe",
      language: "english",
      duration: 3,
      text: "",
      segments: [],
    });
  });
});
