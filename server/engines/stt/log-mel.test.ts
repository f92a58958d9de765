/**
 * Parla's log-mel features against the two references they replace: transformers.js's
 * WhisperFeatureExtractor (the same loaded processor, every value) and the reference Python
 * implementation's numbers recorded in the fixture's golden.json (shape, mean, first values).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { AutoProcessor, env, type Processor } from "@huggingface/transformers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { logMelFor, type WhisperLogMel, whisperFeatureConfigSchema } from "@/server/engines/stt/log-mel";
import { hasModelMirror, MODEL_MIRROR_DIR } from "@/test/mirror";

const fixtureDir = path.join(MODEL_MIRROR_DIR, "test", "whisper-tiny-random");
const goldenSchema = z.object({
  feature_extractor: z.object({
    input_features_shape: z.array(z.number()),
    input_features_mean: z.number(),
    input_features_first8: z.array(z.number()).length(8),
  }),
});

async function readJfk(): Promise<Float32Array> {
  const bytes = await readFile(path.join(fixtureDir, "jfk_16k.wav"));
  const pcm = new Int16Array(bytes.buffer.slice(bytes.byteOffset + 44, bytes.byteOffset + bytes.length));
  return Float32Array.from(pcm, (value) => value / 32768);
}

/** A deterministic signal: a chirp, a tone and noise from a fixed-seed generator. */
function madeSignal(length: number): Float32Array {
  let seed = 7;
  const noise = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648 - 0.5;
  };
  return Float32Array.from({ length }, (_, i) => {
    const t = i / 16_000;
    return (
      0.3 * Math.sin(2 * Math.PI * (200 + 400 * t) * t) +
      0.1 * Math.sin(2 * Math.PI * 3_000 * t) +
      0.05 * noise()
    );
  });
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

describe.skipIf(!hasModelMirror)("Whisper log-mel features", () => {
  let processor: Processor;
  let logMel: WhisperLogMel;

  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.localModelPath = path.dirname(fixtureDir);
    processor = await AutoProcessor.from_pretrained(path.basename(fixtureDir), { local_files_only: true });
    const config = (processor as unknown as { feature_extractor: { config: unknown } }).feature_extractor
      .config;
    const built = logMelFor(config);
    if (!built) throw new Error("the fixture's processor settings should allow the fast features");
    logMel = built;
  });

  it("equals transformers.js's features within float32 rounding, for short, exact, long and real audio", async () => {
    const cases = {
      "one second (zero-padded)": madeSignal(16_000),
      "exactly 30 s": madeSignal(480_000),
      "37 s (cut at 30 s)": madeSignal(592_000),
      "the fixture's recording": await readJfk(),
      silence: new Float32Array(160_000),
    };
    for (const [name, samples] of Object.entries(cases)) {
      const reference = ((await processor(samples)) as { input_features: { data: Float32Array } })
        .input_features;
      const ours = logMel.compute(samples);
      expect(maxAbsDifference(ours, reference.data), name).toBeLessThan(1e-6);
    }
  });

  it("matches the reference implementation's recorded features for the fixture's recording", async () => {
    const golden = goldenSchema.parse(
      JSON.parse(await readFile(path.join(fixtureDir, "golden.json"), "utf8")),
    );
    const ours = logMel.compute(await readJfk());
    expect([1, logMel.melBins, logMel.frames]).toEqual(golden.feature_extractor.input_features_shape);
    const mean = ours.reduce((sum, value) => sum + value, 0) / ours.length;
    expect(mean).toBeCloseTo(golden.feature_extractor.input_features_mean, 5);
    golden.feature_extractor.input_features_first8.forEach((value, i) => {
      expect(ours[i]).toBeCloseTo(value, 5);
    });
  });

  it("falls back to the processor for settings it does not compute (another frame size, missing filters)", () => {
    const config = (processor as unknown as { feature_extractor: { config: Record<string, unknown> } })
      .feature_extractor.config;
    expect(whisperFeatureConfigSchema.safeParse(config).success).toBe(true);
    expect(logMelFor({ ...config, n_fft: 512 })).toBeUndefined();
    expect(logMelFor({ ...config, mel_filters: undefined })).toBeUndefined();
    expect(logMelFor({ ...config, feature_size: 128 })).toBeUndefined();
  });
});
