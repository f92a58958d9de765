import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hashFile } from "@/models/hash";
import { MODEL_LOCK, updateLock } from "@/models/lock";
import { KOKORO_VOICES, MODEL_MANIFEST } from "@/models/manifest";
import { manifestSchema, modelFileSchema } from "@/models/schema";
import { expandModelIds, lockedFile } from "@/models/select";
import { hasModelMirror, MODEL_MIRROR_DIR } from "@/test/mirror";

const allFiles = MODEL_MANIFEST.flatMap((entry) => entry.files.map((file) => ({ entry, file })));

describe("manifest", () => {
  it("is well-formed and lists the product's models", () => {
    expect(() => manifestSchema.parse(MODEL_MANIFEST)).not.toThrow();
    const ids = MODEL_MANIFEST.map((entry) => entry.id);
    for (const id of [
      "silero-vad",
      "kokoro-82m-v1.0",
      "kokoro-82m-v1.0-voices",
      "piper-en-us-lessac-medium",
    ]) {
      expect(ids).toContain(id);
    }
    for (const size of ["tiny", "base", "small", "large-v3-turbo"]) expect(ids).toContain(`whisper-${size}`);
    const voices = MODEL_MANIFEST.find((entry) => entry.id === "kokoro-82m-v1.0-voices");
    expect(voices?.files.filter((file) => file.path.startsWith("voices/"))).toHaveLength(
      KOKORO_VOICES.length,
    );
    expect(KOKORO_VOICES).toHaveLength(28);
  });

  it("gives public files canonical URLs and keeps fixtures mirror-only", () => {
    for (const { entry, file } of allFiles) {
      if (entry.fixture) {
        expect(file.url, file.path).toBeUndefined();
        expect(file.mirrorPath).toBe(`test/${entry.id}/${file.path}`);
      } else {
        expect(file.url).toMatch(
          /^https:\/\/(huggingface\.co\/[^/]+\/[^/]+\/resolve\/main|raw\.githubusercontent\.com)\//,
        );
      }
    }
    expect(MODEL_MANIFEST.filter((entry) => entry.fixture).map((entry) => entry.id)).toEqual([
      "whisper-tiny-random",
      "piper-vits-random",
      "kokoro-signature-random",
    ]);
  });

  it("rejects paths that could leave a model folder", () => {
    for (const bad of ["../x", "/etc/passwd", "a/../b", "a//b", "a\\b", ".hidden", "a/./b", ""]) {
      expect(modelFileSchema.safeParse({ path: bad }).success, bad).toBe(false);
    }
  });

  it("fetches what a model requires with it", () => {
    const ids = expandModelIds(["kokoro-signature-random"]).map((entry) => entry.id);
    expect(ids).toEqual(["kokoro-82m-v1.0-voices", "kokoro-signature-random"]);
    expect(() => expandModelIds(["no-such-model"])).toThrow(/Unknown model id "no-such-model"/);
  });
});

describe("models.lock.json", () => {
  it("lists exactly the manifest's files, in manifest order", () => {
    expect(updateLock(MODEL_LOCK, MODEL_MANIFEST, [])).toEqual(MODEL_LOCK);
    expect(JSON.stringify(updateLock(MODEL_LOCK, MODEL_MANIFEST, []))).toBe(JSON.stringify(MODEL_LOCK));
  });

  it("pins every mirrored file and agrees with the manifest's sizes", () => {
    for (const { entry, file } of allFiles) {
      const pin = lockedFile(MODEL_LOCK, entry.id, file.path);
      if (file.mirrorPath) expect(pin?.sha256, `${entry.id}/${file.path}`).toMatch(/^[0-9a-f]{64}$/);
      if (pin?.sha256 && file.bytes !== undefined) expect(pin.bytes).toBe(file.bytes);
      if (!pin?.sha256) expect(pin?.bytes).toBeNull();
    }
  });

  it.skipIf(!hasModelMirror)("matches the shared mirror's files and SHA256SUMS", async () => {
    const sums = new Map(
      readFileSync(path.join(MODEL_MIRROR_DIR, "SHA256SUMS"), "utf8")
        .trim()
        .split("\n")
        .map((line) => line.split(/\s+/) as [string, string])
        .map(([sha256, file]) => [file, sha256]),
    );
    for (const { entry, file } of allFiles) {
      const pin = lockedFile(MODEL_LOCK, entry.id, file.path);
      if (!file.mirrorPath || !pin?.sha256) continue;
      const mirrored = path.join(MODEL_MIRROR_DIR, file.mirrorPath);
      expect(sums.get(file.mirrorPath), file.mirrorPath).toBe(pin.sha256);
      expect(statSync(mirrored).size).toBe(pin.bytes);
      expect((await hashFile(mirrored)).sha256).toBe(pin.sha256);
    }
  });
});
