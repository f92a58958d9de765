/**
 * Golden parity on the random-weight fixture: the real code path (verified load, transformers.js
 * features and model calls, Parla's search and logit rules) must reproduce the reference ids
 * exactly and the first-step logits within 1e-4. The fixture's output is noise by design: these
 * tests prove the plumbing, never transcript quality.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { AutoTokenizer, env } from "@huggingface/transformers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { WhisperEngine } from "@/server/engines/stt/whisper";
import { hasModelMirror, MODEL_MIRROR_DIR } from "@/test/mirror";

const FIXTURE = "whisper-tiny-random";
const fixtureDir = path.join(MODEL_MIRROR_DIR, "test", FIXTURE);

const goldenSchema = z.object({
  audio: z.object({ num_samples: z.number() }),
  generation: z.object({ prompt_ids: z.array(z.number()), max_new_tokens: z.number() }),
  torch_generate_new_token_ids: z.array(z.number()),
  full_sequence: z.array(z.number()),
  decoded_text_skip_special: z.string(),
  first_step_logits_first16: z.object({ torch: z.array(z.number()) }),
});

async function readJfk(): Promise<Float32Array> {
  const bytes = await readFile(path.join(fixtureDir, "jfk_16k.wav"));
  const pcm = new Int16Array(bytes.buffer.slice(bytes.byteOffset + 44, bytes.byteOffset + bytes.length));
  return Float32Array.from(pcm, (value) => value / 32768);
}

describe.skipIf(!hasModelMirror)("Whisper on the random-weight fixture", () => {
  let engine: WhisperEngine;
  let golden: z.infer<typeof goldenSchema>;
  let jfk: Float32Array;

  beforeAll(async () => {
    golden = goldenSchema.parse(JSON.parse(await readFile(path.join(fixtureDir, "golden.json"), "utf8")));
    jfk = await readJfk();
    // A manifest id: every file is hashed against models.lock.json before anything loads.
    engine = await WhisperEngine.load({
      modelId: FIXTURE,
      store: { modelsDir: path.join(MODEL_MIRROR_DIR, "test") },
    });
  });

  afterAll(async () => {
    await engine?.dispose();
  });

  it("reproduces the golden ids exactly and the first-step logits within 1e-4", async () => {
    expect(jfk.length).toBe(golden.audio.num_samples);
    let first: Float32Array | undefined;
    const result = await engine.transcribeWindow(jfk, {
      language: "en",
      task: "transcribe",
      timestamps: false,
      maxNewTokens: golden.generation.max_new_tokens,
      onFirstLogits: (logits) => {
        first = logits;
      },
    });
    expect(result.promptTokens).toEqual(golden.generation.prompt_ids);
    expect(result.tokens).toEqual(golden.torch_generate_new_token_ids);
    expect([...result.promptTokens, ...result.tokens]).toEqual(golden.full_sequence);
    expect(result.segments.map((segment) => segment.text).join("")).toBe(golden.decoded_text_skip_special);
    const expected = golden.first_step_logits_first16.torch;
    expect(first?.length).toBe(51_865);
    for (const [i, value] of expected.entries())
      expect(Math.abs((first?.[i] ?? Number.NaN) - value)).toBeLessThan(1e-4);
  });

  it("counts one decoder call per greedy token, so the benchmark can report decoder time per call", async () => {
    engine.resetTimings();
    const result = await engine.transcribeWindow(jfk, {
      language: "en",
      timestamps: false,
      maxNewTokens: golden.generation.max_new_tokens,
    });
    // The prompt's call yields the first token; each later token needs one cached call; a full
    // budget (no end-of-text) ends the search without a call past it.
    expect(result.tokens).toHaveLength(golden.generation.max_new_tokens);
    expect(engine.timings.decoderCalls).toBe(result.tokens.length);
    expect(engine.timings.decoderMs).toBeGreaterThan(0);
    engine.resetTimings();
    expect(engine.timings.decoderCalls).toBe(0);
  });

  it("says which execution provider it uses and why the faster ones were passed over", () => {
    expect(["cuda", "webgpu", "cpu"]).toContain(engine.device.used);
    for (const skipped of engine.device.skipped) expect(skipped.error.length).toBeGreaterThan(0);
  });

  it("loads a plain folder in the transformers.js layout too, and refuses one that is not", async () => {
    const fromFolder = await WhisperEngine.load({ folder: fixtureDir }, ["cpu"]);
    const result = await fromFolder.transcribeWindow(jfk.subarray(0, 16_000 * 5), {
      language: "en",
      timestamps: false,
      maxNewTokens: 3,
    });
    expect(result.tokens).toHaveLength(3);
    await fromFolder.dispose();
    await expect(WhisperEngine.load({ folder: MODEL_MIRROR_DIR })).rejects.toThrow("missing config.json");
  });

  it("detects a language, translates, takes a prompt, and runs beam search (plumbing only)", async () => {
    const clip = jfk.subarray(0, 16_000 * 4);
    const detected = await engine.transcribeWindow(clip, { maxNewTokens: 4 });
    expect(detected.language).toMatch(/^[a-z]{2,3}$/);
    expect(detected.languageProbability).toBeGreaterThan(0);
    expect(detected.promptTokens[1]).toBe(
      50_259 + Object.keys(await languagesByToken()).indexOf(detected.language),
    );

    const translated = await engine.transcribeWindow(clip, {
      language: "german",
      task: "translate",
      maxNewTokens: 4,
    });
    expect(translated.promptTokens.slice(0, 3)).toEqual([50_258, 50_261, 50_358]);

    const prompted = await engine.transcribeWindow(clip, {
      language: "en",
      prompt: "Kennedy",
      maxNewTokens: 4,
    });
    expect(prompted.promptTokens[0]).toBe(50_361);
    expect(prompted.promptTokens.at(-3)).toBe(50_258);

    const beams = await engine.transcribeWindow(clip, {
      language: "en",
      timestamps: false,
      numBeams: 3,
      maxNewTokens: 6,
    });
    expect(beams.tokens.length).toBeGreaterThan(0);
    expect(beams.tokens.length).toBeLessThanOrEqual(6);
  });

  it("keeps segment timestamps inside the window and monotonic", async () => {
    const clip = jfk.subarray(0, 16_000 * 6);
    const result = await engine.transcribeWindow(clip, { language: "en", maxNewTokens: 30 });
    // Timestamp mode: the first generated token is forced to be a timestamp.
    expect(result.tokens[0]).toBeGreaterThanOrEqual(50_364);
    let last = 0;
    for (const segment of result.segments) {
      expect(segment.start).toBeGreaterThanOrEqual(last);
      expect(segment.end).toBeGreaterThanOrEqual(segment.start);
      expect(segment.end).toBeLessThanOrEqual(6);
      last = segment.start;
    }
  });

  it("estimates word times from the segment timestamps, and says so, when the decoder exports no cross-attentions", async () => {
    expect(engine.supportsWordTimestamps).toBe(false);
    // Enough noise tokens to include characters that byte-level BPE splits over several tokens.
    const result = await engine.transcribeWindow(jfk.subarray(0, 16_000 * 6), {
      language: "en",
      wordTimestamps: true,
      maxNewTokens: 160,
    });
    expect(result.segments.map((segment) => segment.text).join("")).toMatch(/[^\p{ASCII}]/u);
    expect(result.wordTiming).toBe("estimated");
    const words = result.words ?? [];
    expect(words.length).toBeGreaterThan(0);
    // Every word lies inside the window, in order, and the words spell the segments' text.
    let last = 0;
    for (const word of words) {
      expect(word.start).toBeGreaterThanOrEqual(last);
      expect(word.end).toBeGreaterThanOrEqual(word.start);
      expect(word.end).toBeLessThanOrEqual(6);
      last = word.start;
    }
    const squash = (text: string) => text.replace(/\s+/g, "");
    expect(squash(words.map((word) => word.word).join(""))).toBe(
      squash(result.segments.map((segment) => segment.text).join("")),
    );
    const plain = await engine.transcribeWindow(jfk.subarray(0, 16_000), { language: "en", maxNewTokens: 2 });
    expect(plain.words).toBeUndefined();
    expect(plain.wordTiming).toBeUndefined();
  });

  it("decodes tokens for word timing in whole characters, never in halves of one", async () => {
    env.allowRemoteModels = false;
    env.localModelPath = path.dirname(fixtureDir);
    const tokenizer = await AutoTokenizer.from_pretrained(FIXTURE, { local_files_only: true });
    const ids = tokenizer.encode(" 🎉 Grüße, 東京", { add_special_tokens: false });
    // The premise: some character here is split over several byte-level tokens.
    expect(ids.some((id) => tokenizer.decode([id]).includes("\uFFFD"))).toBe(true);
    const pieces = engine.characterPieces(ids);
    expect(pieces.join("")).toBe(tokenizer.decode(ids));
    for (const piece of pieces) expect(piece).not.toContain("\uFFFD");
  });

  it("samples reproducibly: the same seed gives the same tokens, another seed other ones", async () => {
    const clip = jfk.subarray(0, 16_000 * 4);
    const run = (seed: number) =>
      engine.transcribeWindow(clip, { language: "en", temperature: 1, seed, maxNewTokens: 12 });
    const [a, b, c] = [await run(7), await run(7), await run(8)];
    expect(a.tokens).toEqual(b.tokens);
    expect(a.tokens).not.toEqual(c.tokens);
  });

  it("refuses an unknown language with a 400", async () => {
    await expect(
      engine.transcribeWindow(jfk.subarray(0, 16_000), { language: "klingon" }),
    ).rejects.toMatchObject({
      status: 400,
    });
  });
});

async function languagesByToken(): Promise<Record<string, string>> {
  const { WHISPER_LANGUAGES } = await import("@/lib/transcript/languages");
  return WHISPER_LANGUAGES;
}
