/**
 * Long text through the real pipeline on the Kokoro signature fixture (a toy network with
 * Kokoro's interface: each id gives exactly 600 samples at speed 1, so lengths are exact).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIMITS } from "@/lib/limits";
import { chunkText } from "@/lib/text/chunk";
import { normalizeText } from "@/lib/text/normalize";
import type { TooManyTokensError } from "@/lib/tts/kokoro-tokenizer";
import { StreamingCrossfader } from "@/server/engines/tts/crossfade";
import { createFixtureStore, kokoroFixtureSource } from "@/server/engines/tts/fixture-store";
import { KokoroEngine, type KokoroPrepared } from "@/server/engines/tts/kokoro-engine";
import { groupChunks, type SpeechChunk, synthesizeLong } from "@/server/engines/tts/synthesize-long";
import type { SynthesisOptions, TtsEngine } from "@/server/engines/tts/types";
import { hasModelMirror, MODEL_MIRROR_DIR } from "@/test/mirror";

const TEXT =
  "Dr. Smith paid $12.50 on March 3, 2024. It was 50% off! The shop opened at 9:30 am, and closed at 5 pm; " +
  "everyone agreed it was the 1st good deal in years. ".repeat(3);

async function collect(generator: AsyncGenerator<SpeechChunk>): Promise<SpeechChunk[]> {
  const chunks: SpeechChunk[] = [];
  for await (const chunk of generator) chunks.push(chunk);
  return chunks;
}

describe("StreamingCrossfader", () => {
  it("keeps back one fade per join, so the total shrinks by exactly that", () => {
    const fader = new StreamingCrossfader(10);
    const a = fader.push(new Float32Array(100).fill(1), false);
    const b = fader.push(new Float32Array(100).fill(-1), false);
    const end = fader.push(new Float32Array(0), true);
    expect(a.length).toBe(90);
    expect(b.length + end.length).toBe(100);
    // The join ramps from the first chunk's level to the second's.
    expect(b[0]).toBeGreaterThan(b[9] ?? 0);
    expect(b[0]).toBeGreaterThan(0.5);
    expect(b[9]).toBeLessThan(-0.5);
  });
});

describe("groupChunks", () => {
  it("keeps order, fills groups up to the limit and gives a longer chunk a group alone", () => {
    expect(groupChunks([], 10)).toEqual([]);
    expect(groupChunks(["aaaa", "bbb", "cc", "dddddddddddd", "e"], 9)).toEqual([
      ["aaaa", "bbb", "cc"],
      ["dddddddddddd"],
      ["e"],
    ]);
  });
});

describe.skipIf(!hasModelMirror)("synthesizeLong", () => {
  const fixture = createFixtureStore(MODEL_MIRROR_DIR);
  let engine: KokoroEngine;
  const options = { voice: "af_heart", speed: 1 };

  beforeAll(async () => {
    engine = await KokoroEngine.create({
      source: kokoroFixtureSource(fixture.store),
      providers: ["cpu"],
    });
  });
  afterAll(async () => {
    await engine?.dispose();
    fixture.cleanup();
  });

  it("loses nothing: chunk texts join into the normalised input, progress reaches the end", async () => {
    const chunks = await collect(
      synthesizeLong(engine, TEXT, { ...options, maxChunkChars: 80, firstChunkMaxChars: 40 }),
    );
    expect(chunks.map((c) => c.text).join("")).toBe(normalizeText(TEXT));
    expect(chunks.length).toBeGreaterThan(4);
    for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(80);
    const done = chunks.map((c) => c.progress.charsDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(chunks.at(-1)?.progress).toEqual({
      charsDone: normalizeText(TEXT).length,
      charsTotal: normalizeText(TEXT).length,
    });
  });

  it("gives exactly the model's samples less one crossfade per join", async () => {
    const chunks = await collect(synthesizeLong(engine, TEXT, { ...options, maxChunkChars: 80 }));
    const spoken = chunks.filter((c) => c.text.length > 0);
    let expected = 0;
    for (const chunk of spoken)
      expected += ((await engine.prepare(chunk.text, options)).ids.length * 600) / 1;
    const fade = Math.round((10 * 24_000) / 1000);
    const total = chunks.reduce((sum, c) => sum + c.audio.samples.length, 0);
    expect(total).toBe(expected - (spoken.length - 1) * fade);
  });

  it("yields the first chunk after one model call, before the rest is synthesised", async () => {
    let inferCalls = 0;
    const counting: TtsEngine<KokoroPrepared> = {
      name: engine.name,
      sampleRate: engine.sampleRate,
      executionProvider: engine.executionProvider,
      prepare: (text: string, o: SynthesisOptions) => engine.prepare(text, o),
      infer: (prepared: KokoroPrepared, o: SynthesisOptions) => {
        inferCalls++;
        return engine.infer(prepared, o);
      },
      dispose: async () => {},
    };
    const generator = synthesizeLong(counting, TEXT, { ...options, maxChunkChars: 60 });
    const first = await generator.next();
    expect(first.done).toBe(false);
    expect(inferCalls).toBe(1);
    await generator.return(undefined);
  });

  it("prepares later chunks in groups, with the same audio as chunk by chunk", async () => {
    let groups = 0;
    let prepares = 0;
    // What the engine was asked, in order, with the group each model input came from: a group's
    // phonemizing must start before a model run on an earlier chunk, so the two overlap.
    const events: string[] = [];
    const groupOf = new Map<KokoroPrepared | TooManyTokensError, number>();
    const grouping: TtsEngine<KokoroPrepared> = {
      name: engine.name,
      sampleRate: engine.sampleRate,
      executionProvider: engine.executionProvider,
      prepare: (text: string, o: SynthesisOptions) => {
        prepares++;
        return engine.prepare(text, o);
      },
      prepareMany: async (texts: readonly string[], o: SynthesisOptions) => {
        const group = groups++;
        events.push(`group ${group}`);
        const prepared = await engine.prepareMany(texts, o);
        for (const each of prepared) groupOf.set(each, group);
        return prepared;
      },
      infer: async (prepared: KokoroPrepared, o: SynthesisOptions) => {
        events.push(`infer ${groupOf.get(prepared) ?? "-"}`);
        const audio = await engine.infer(prepared, o);
        events.push("inferred");
        return audio;
      },
      dispose: async () => {},
    };
    const { prepareMany: _, ...oneByOne } = grouping;
    const settings = { ...options, maxChunkChars: 60, firstChunkMaxChars: 30, prepareBatchMaxChars: 200 };
    const grouped = await collect(synthesizeLong(grouping, TEXT, settings));
    // The first chunk alone, then one prepareMany per group (a lone chunk uses prepare).
    const chunks = chunkText(normalizeText(TEXT), {
      maxChars: 60,
      firstChunkMaxChars: 30,
      growth: LIMITS.tts.CHUNK_GROWTH,
    });
    const planned = groupChunks(chunks.slice(1), 200);
    expect(planned.length).toBeLessThan(chunks.length / 2);
    expect({ groups, prepares }).toEqual({
      groups: planned.filter((group) => group.length > 1).length,
      prepares: 1 + planned.filter((group) => group.length === 1).length,
    });
    const alone = await collect(synthesizeLong(oneByOne, TEXT, settings));
    expect(grouped.map((c) => c.text)).toEqual(alone.map((c) => c.text));
    expect(grouped.map((c) => c.audio.samples)).toEqual(alone.map((c) => c.audio.samples));
    expect(grouped.every((c) => c.text === "" || c.timings.prepareMs > 0)).toBe(true);
    expect(grouped.every((c) => c.timings.waitedMs <= c.timings.prepareMs + 1e-6)).toBe(true);
    // Between asking for a group and the model's first run on it, a model run on earlier text
    // went from start to end: the phonemizer and the model worked at the same time.
    for (let group = 0; group < groups; group++) {
      const asked = events.indexOf(`group ${group}`);
      const used = events.indexOf(`infer ${group}`);
      expect(asked).toBeGreaterThanOrEqual(0);
      expect(events.slice(asked, used)).toContain("inferred");
    }
  });

  it("cuts a chunk the model cannot take in one call and still loses nothing", async () => {
    // One 1,400-character sentence with no punctuation: far over Kokoro's 510 tokens.
    const long = `${"banana split ".repeat(110)}end.`;
    const chunks = await collect(synthesizeLong(engine, long, { ...options, maxChunkChars: 5_000 }));
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.map((c) => c.text).join("")).toBe(normalizeText(long));
    // The same inside a prepared group: both long chunks come back as errors and are cut.
    const text = `Hi there. ${long} ${long}`;
    const settings = {
      ...options,
      maxChunkChars: 1_500,
      firstChunkMaxChars: 20,
      prepareBatchMaxChars: 5_000,
    };
    const grouped = await collect(synthesizeLong(engine, text, settings));
    expect(grouped.length).toBeGreaterThan(5);
    expect(grouped.map((c) => c.text).join("")).toBe(normalizeText(text));
  });

  it("stops when cancelled", async () => {
    const controller = new AbortController();
    const generator = synthesizeLong(engine, TEXT, {
      ...options,
      maxChunkChars: 60,
      signal: controller.signal,
    });
    await generator.next();
    controller.abort();
    await expect(generator.next()).rejects.toThrow();
  });
});
