/**
 * Piper engine on piper-vits-random: the real VITS architecture in Piper's exact ONNX interface
 * with random weights (its output is noise, not speech). Checked against golden.json with the
 * tolerance its README states (torch vs ONNX differ by at most 3e-5).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtureStore } from "@/server/engines/tts/fixture-store";
import { PiperEngine } from "@/server/engines/tts/piper-engine";
import { piperPhonemeIds } from "@/server/engines/tts/piper-ids";
import { synthesize } from "@/server/engines/tts/types";
import { hasModelMirror, MODEL_MIRROR_DIR } from "@/test/mirror";

const FIXTURE = path.join(MODEL_MIRROR_DIR, "test", "piper-vits-random");
const TOLERANCE = 3e-5;

describe.skipIf(!hasModelMirror)("PiperEngine (random-weight VITS fixture)", () => {
  const golden = hasModelMirror ? JSON.parse(readFileSync(path.join(FIXTURE, "golden.json"), "utf8")) : {};
  const fixture = createFixtureStore(MODEL_MIRROR_DIR);
  let engine: PiperEngine;
  const noiseless = { noise_scale: 0, noise_w: 0, length_scale: 1 };

  beforeAll(async () => {
    engine = await PiperEngine.create({
      source: { kind: "store", store: fixture.store, modelId: "piper-vits-random" },
      inference: noiseless,
    });
  });
  afterAll(async () => {
    await engine?.dispose();
    fixture.cleanup();
  });

  it("maps the golden phonemes to the golden ids (BOS, pad after each phoneme, EOS)", () => {
    expect(piperPhonemeIds(golden.phonemes, engine.config.phoneme_id_map)).toEqual({
      ids: golden.input,
      dropped: 0,
    });
    expect(piperPhonemeIds("hЖ", engine.config.phoneme_id_map)).toEqual({
      ids: [1, 0, 20, 0, 2],
      dropped: 1,
    });
  });

  it("matches golden.json: output length, first 16 samples and rms with noise off", async () => {
    const audio = await engine.infer(engine.prepareIds(golden.input), {
      voice: "piper-vits-random",
      speed: 1,
    });
    expect(engine.sampleRate).toBe(22_050);
    expect(audio.samples.length).toBe(golden.num_samples);
    golden.first16.forEach((value: number, i: number) => {
      expect(Math.abs((audio.samples[i] ?? Number.NaN) - value)).toBeLessThan(TOLERANCE);
    });
    const rms = Math.sqrt(audio.samples.reduce((sum, v) => sum + v * v, 0) / audio.samples.length);
    expect(rms).toBeCloseTo(0.8878, 3);
  });

  it("maps speed onto length_scale (speed 0.5 = length_scale 2) and scales with input length", async () => {
    const slow = await engine.infer(engine.prepareIds(golden.input), { voice: "x", speed: 0.5 });
    expect(slow.samples.length).toBe(312_320);
    const short = await engine.infer(engine.prepareIds([1, 0, 59, 0, 2]), { voice: "x", speed: 1 });
    expect(short.samples.length).toBe(22_016);
  });

  it("goes from text to audio repeatably with noise off; frames are 256 samples", async () => {
    const options = { voice: "piper-vits-random", speed: 1 };
    const prepared = await engine.prepare("Hello world.", options);
    expect([...prepared.ids.slice(0, 2)].map(Number)).toEqual([1, 0]);
    expect(Number(prepared.ids.at(-1))).toBe(2);
    const a = await engine.infer(prepared, options);
    const b = await synthesize(engine, "Hello world.", options);
    expect(a.samples).toEqual(b.samples);
    expect(a.samples.length % 256).toBe(0);
  });

  it("runs with the voice's own noise settings too", async () => {
    const noisy = await PiperEngine.create({
      source: { kind: "store", store: fixture.store, modelId: "piper-vits-random" },
      providers: ["cpu"],
    });
    expect(noisy.config.inference).toEqual({ noise_scale: 0.667, length_scale: 1, noise_w: 0.8 });
    const audio = await synthesize(noisy, "Hello world.", { voice: "x", speed: 1 });
    expect(audio.samples.length).toBeGreaterThan(0);
    await noisy.dispose();
  });
});
