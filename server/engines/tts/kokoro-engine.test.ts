/**
 * Kokoro engine on kokoro-signature-random: a toy network with Kokoro's exact ONNX signature
 * (NOT Kokoro; its output is tones). These tests check plumbing against the fixture's golden
 * values: shapes, lengths, speed, style row choice, determinism. They say nothing about quality.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TooManyTokensError } from "@/lib/tts/kokoro-tokenizer";
import { ModelIntegrityError } from "@/models/errors";
import { EXECUTION_PROVIDERS } from "@/server/engines/tts/execution-providers";
import { createFixtureStore, kokoroFixtureSource } from "@/server/engines/tts/fixture-store";
import { KokoroEngine } from "@/server/engines/tts/kokoro-engine";
import { synthesize } from "@/server/engines/tts/types";
import { hasModelMirror, MODEL_MIRROR_DIR } from "@/test/mirror";

const FIXTURE = path.join(MODEL_MIRROR_DIR, "test", "kokoro-signature-random");
const VOICES = path.join(MODEL_MIRROR_DIR, "kokoro-82m-v1.0-voices");

describe.skipIf(!hasModelMirror)("KokoroEngine (signature fixture)", () => {
  const golden = hasModelMirror ? JSON.parse(readFileSync(path.join(FIXTURE, "golden.json"), "utf8")) : {};
  const fixture = createFixtureStore(MODEL_MIRROR_DIR);
  let engine: KokoroEngine;

  beforeAll(async () => {
    engine = await KokoroEngine.create({
      source: kokoroFixtureSource(fixture.store),
    });
  });
  afterAll(async () => {
    await engine?.dispose();
    fixture.cleanup();
  });

  it("reports the execution provider that loaded the model, after trying the preferred ones", () => {
    expect(EXECUTION_PROVIDERS).toContain(engine.executionProvider);
    const last = engine.providerAttempts.at(-1);
    expect(last).toMatchObject({ provider: engine.executionProvider, ok: true });
    expect(engine.providerAttempts.map((a) => a.provider)).toEqual(
      EXECUTION_PROVIDERS.slice(0, engine.providerAttempts.length),
    );
  });

  it("matches golden.json: sample count per speed and the first 8 samples", async () => {
    const ids = BigInt64Array.from(golden.input_ids as number[], (id) => BigInt(id));
    const prepared = { ids, tokenCount: ids.length - 2 };
    for (const [speed, count] of Object.entries(golden.num_samples_by_speed as Record<string, number>)) {
      const audio = await engine.infer(prepared, { voice: "af_heart", speed: Number(speed) });
      expect(audio.samples.length, `speed ${speed}`).toBe(count);
      expect(audio.sampleRate).toBe(golden.sample_rate);
    }
    const audio = await engine.infer(prepared, { voice: "af_heart", speed: 1 });
    // The fixture README gives no tolerance for Kokoro; float32 through the same runtime: 1e-6.
    golden.first8_speed_1.forEach((value: number, i: number) => {
      expect(Math.abs((audio.samples[i] ?? Number.NaN) - value)).toBeLessThan(1e-6);
    });
  });

  it("goes from text to audio whose length follows the token count, repeatably", async () => {
    const options = { voice: "af_heart", speed: 1 };
    const prepared = await engine.prepare("Hello world, this is a test.", options);
    expect(prepared.ids[0]).toBe(0n);
    expect(prepared.ids.at(-1)).toBe(0n);
    const first = await engine.infer(prepared, options);
    expect(first.samples.length).toBe(prepared.ids.length * 600);
    const again = await synthesize(engine, "Hello world, this is a test.", options);
    expect(again.samples).toEqual(first.samples);
    const longer = await engine.prepare("Hello world, this is a much longer test sentence.", options);
    expect(longer.tokenCount).toBeGreaterThan(prepared.tokenCount);
  });

  it("prepares several texts at once as each alone, a too-long one as its error", async () => {
    const options = { voice: "af_heart", speed: 1 };
    const texts = ["Hello world, this is a test.", `${"banana split ".repeat(110)}end.`, "Goodbye; for now!"];
    const many = await engine.prepareMany(texts, options);
    expect(many).toHaveLength(3);
    expect(many[0]).toEqual(await engine.prepare(texts[0] ?? "", options));
    expect(many[1]).toBeInstanceOf(TooManyTokensError);
    await expect(engine.prepare(texts[1] ?? "", options)).rejects.toBeInstanceOf(TooManyTokensError);
    expect(many[2]).toEqual(await engine.prepare(texts[2] ?? "", options));
  });

  it("picks the style row by token count and blends two voices", async () => {
    const prepared = await engine.prepare("Hello there.", { voice: "af_heart", speed: 1 });
    const heart = await engine.infer(prepared, { voice: "af_heart", speed: 1 });
    const michael = await engine.infer(prepared, { voice: "am_michael", speed: 1 });
    const blend = await engine.infer(prepared, { voice: "af_heart(0.5)+am_michael(0.5)", speed: 1 });
    expect(heart.samples).not.toEqual(michael.samples);
    expect(blend.samples).not.toEqual(heart.samples);
    expect(blend.samples.length).toBe(heart.samples.length);
  });

  it("refuses a voice outside the published list before touching any file", async () => {
    await expect(engine.prepare("Hi.", { voice: "../../etc/passwd", speed: 1 })).rejects.toThrow();
    const prepared = await engine.prepare("Hi.", { voice: "af_heart", speed: 1 });
    await expect(engine.infer(prepared, { voice: "voices/af_heart.bin", speed: 1 })).rejects.toThrow();
  });

  it("loads the same model from a folder in the onnx-community layout", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "parla-kokoro-folder-"));
    try {
      mkdirSync(path.join(dir, "onnx"));
      mkdirSync(path.join(dir, "voices"));
      for (const file of ["config.json", "tokenizer.json", "onnx/model.onnx"]) {
        symlinkSync(path.join(FIXTURE, file), path.join(dir, file));
      }
      symlinkSync(path.join(VOICES, "voices", "af_heart.bin"), path.join(dir, "voices", "af_heart.bin"));
      const fromFolder = await KokoroEngine.create({ source: { kind: "folder", dir }, providers: ["cpu"] });
      const options = { voice: "af_heart", speed: 1 };
      const a = await synthesize(fromFolder, "Hello world.", options);
      const b = await synthesize(engine, "Hello world.", options);
      expect(a.samples).toEqual(b.samples);
      await fromFolder.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a model file that does not match the lock", async () => {
    const modelsDir = mkdtempSync(path.join(tmpdir(), "parla-kokoro-tampered-"));
    try {
      cpSync(FIXTURE, path.join(modelsDir, "kokoro-signature-random"), { recursive: true });
      symlinkSync(VOICES, path.join(modelsDir, "kokoro-82m-v1.0-voices"));
      const model = path.join(modelsDir, "kokoro-signature-random", "onnx", "model.onnx");
      const bytes = readFileSync(model);
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
      writeFileSync(model, bytes);
      const source = kokoroFixtureSource({ modelsDir });
      await expect(KokoroEngine.create({ source })).rejects.toBeInstanceOf(ModelIntegrityError);
    } finally {
      rmSync(modelsDir, { recursive: true, force: true });
    }
  });
});
