/** The basic voice runs Debian's espeak-ng for real: argv only, text on stdin, WAV parsed by us. */
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BasicEngine, espeakArgs } from "@/server/engines/tts/basic-engine";
import { EngineError, synthesize } from "@/server/engines/tts/types";

describe("BasicEngine (espeak-ng)", () => {
  const engine = new BasicEngine();

  it("speaks English at espeak's rate, and faster when asked", async () => {
    const normal = await synthesize(engine, "Hello world, this is the basic voice.", {
      voice: "basic_en_us",
      speed: 1,
    });
    expect(normal.sampleRate).toBe(22_050);
    const seconds = normal.samples.length / normal.sampleRate;
    expect(seconds).toBeGreaterThan(1);
    expect(seconds).toBeLessThan(5);
    const fast = await synthesize(engine, "Hello world, this is the basic voice.", {
      voice: "basic_en_us",
      speed: 2,
    });
    expect(fast.samples.length).toBeLessThan(normal.samples.length * 0.75);
    expect(Math.max(...normal.samples.subarray(0, 20_000).map(Math.abs))).toBeGreaterThan(0.05);
  });

  it("speaks other languages espeak has", async () => {
    const audio = await synthesize(engine, "Guten Tag.", { voice: "basic_de", speed: 1 });
    expect(audio.samples.length).toBeGreaterThan(5_000);
  });

  it("reads option-like text and markup as text, never as arguments or SSML", async () => {
    const target = path.join(tmpdir(), `parla-espeak-${process.pid}.wav`);
    const audio = await synthesize(engine, `-w ${target} --help <speak><audio src="x"/></speak>`, {
      voice: "basic_en_us",
      speed: 1,
    });
    expect(audio.samples.length).toBeGreaterThan(10_000);
    expect(existsSync(target)).toBe(false);
    expect(espeakArgs("en-us", 1)).toEqual(["--stdout", "--stdin", "-b", "1", "-v", "en-us", "-s", "175"]);
    expect(espeakArgs("en-us", 100)).toContain("450");
  });

  it("refuses ids that are not basic voices, and reports a missing espeak-ng as an engine error", async () => {
    await expect(engine.prepare("Hi.", { voice: "en-us", speed: 1 })).rejects.toBeInstanceOf(EngineError);
    await expect(engine.prepare("Hi.", { voice: "af_heart", speed: 1 })).rejects.toBeInstanceOf(EngineError);
    const missing = new BasicEngine("/nonexistent/espeak-ng");
    await expect(synthesize(missing, "Hi.", { voice: "basic_en_us", speed: 1 })).rejects.toBeInstanceOf(
      EngineError,
    );
  });
});
