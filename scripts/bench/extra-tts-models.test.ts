import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasModelMirror, MODEL_MIRROR_DIR } from "@/test/mirror";
import { extraTtsModels, RANDOM_FULL_SIZE, splitDirList } from "./extra-tts-models";

const kokoroDir = path.join(MODEL_MIRROR_DIR, "test", "kokoro-signature-random");
const piperDir = path.join(MODEL_MIRROR_DIR, "test", "piper-vits-random");
const empty = mkdtempSync(path.join(tmpdir(), "parla-extra-models-"));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe("bench:tts extra model folders", () => {
  it("splits a comma list, drops blanks and resolves each folder", () => {
    expect(splitDirList(undefined)).toEqual([]);
    expect(splitDirList(" , ")).toEqual([]);
    expect(splitDirList("a, /b ,")).toEqual([path.resolve("a"), "/b"]);
  });

  it.skipIf(!hasModelMirror)(
    "labels every folder as random weights and finds Piper's voice name",
    async () => {
      const models = await extraTtsModels({ BENCH_KOKORO_DIRS: kokoroDir, BENCH_PIPER_DIRS: piperDir });
      expect(models).toEqual([
        { engine: "kokoro", dir: kokoroDir, label: `kokoro kokoro-signature-random (${RANDOM_FULL_SIZE})` },
        {
          engine: "piper",
          dir: piperDir,
          label: `piper piper-vits-random (${RANDOM_FULL_SIZE})`,
          piperName: "model",
        },
      ]);
    },
  );

  it("refuses a folder without the model files before any engine runs", async () => {
    await expect(extraTtsModels({ BENCH_KOKORO_DIRS: empty })).rejects.toThrow(/onnx\/model\.onnx/);
    await expect(extraTtsModels({ BENCH_PIPER_DIRS: empty })).rejects.toThrow(/NAME\.onnx/);
  });
});
