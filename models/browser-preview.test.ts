import { describe, expect, it } from "vitest";
import { browserKokoroFiles, KOKORO_VOICES_MODEL_ID } from "@/models/browser-preview";
import { MODEL_LOCK } from "@/models/lock";
import { KOKORO_VOICES } from "@/models/manifest";

describe("browserKokoroFiles", () => {
  it("lists the fixture's model, the vocabulary and every voice with the lock's pins", () => {
    const result = browserKokoroFiles("kokoro-signature-random");
    if (!result.ok) throw new Error(result.reason);
    const pin = MODEL_LOCK.models["kokoro-signature-random"]?.["onnx/model.onnx"];
    expect(result.files.model.fp32).toEqual({
      url: "/api/models/kokoro-signature-random/onnx/model.onnx",
      bytes: pin?.bytes,
      sha256: pin?.sha256,
    });
    expect(result.files.model.q8).toBeUndefined();
    expect(result.files.fixture).toBe(true);
    expect(result.files.vocab.url).toBe(`/api/models/${KOKORO_VOICES_MODEL_ID}/config.json`);
    expect(Object.keys(result.files.voices).sort()).toEqual([...KOKORO_VOICES].sort());
    expect(result.files.voices.af_heart?.bytes).toBe(510 * 256 * 4);
  });

  it("refuses a model whose files are not pinned (the browser could not verify them)", () => {
    const result = browserKokoroFiles("kokoro-82m-v1.0");
    expect(result).toEqual({
      ok: false,
      reason: "kokoro-82m-v1.0/onnx/model.onnx is not pinned in models.lock.json",
    });
  });

  it("offers the 8-bit model beside fp32 once both are pinned", () => {
    const pin = { sha256: "a".repeat(64), bytes: 1000 };
    const lock = structuredClone(MODEL_LOCK);
    const files = lock.models["kokoro-82m-v1.0"] ?? {};
    files["onnx/model.onnx"] = pin;
    files["onnx/model_quantized.onnx"] = { ...pin, bytes: 250 };
    const result = browserKokoroFiles("kokoro-82m-v1.0", lock);
    if (!result.ok) throw new Error(result.reason);
    expect(result.files.model.q8?.url).toBe("/api/models/kokoro-82m-v1.0/onnx/model_quantized.onnx");
    expect(result.files.fixture).toBe(false);
  });

  it("refuses ids that are not Kokoro models", () => {
    expect(browserKokoroFiles("whisper-base").ok).toBe(false);
    expect(browserKokoroFiles(KOKORO_VOICES_MODEL_ID).ok).toBe(false);
    expect(browserKokoroFiles("../etc").ok).toBe(false);
  });
});
