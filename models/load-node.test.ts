import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ModelIntegrityError } from "@/models/errors";
import { sha256Hex } from "@/models/hash";
import {
  checkModelFiles,
  modelFilePath,
  readVerifiedModelFile,
  resolveModelDir,
  verifyModelDir,
} from "@/models/load-node";
import type { ModelEntry, ModelLock } from "@/models/schema";

const WEIGHTS = Buffer.from("pretend these are onnx weights");
const CONFIG = Buffer.from('{"sample_rate":16000}');

const toy: ModelEntry = {
  id: "toy-vad",
  description: "toy",
  license: "MIT",
  engine: "vad",
  files: [
    { path: "onnx/model.onnx", url: "https://example.invalid/model.onnx" },
    { path: "config.json", url: "https://example.invalid/config.json" },
    { path: "unpinned.bin", url: "https://example.invalid/unpinned.bin" },
  ],
};
const manifest = [toy];

const lock: ModelLock = {
  version: 1,
  models: {
    "toy-vad": {
      "onnx/model.onnx": { sha256: sha256Hex(WEIGHTS), bytes: WEIGHTS.length },
      "config.json": { sha256: sha256Hex(CONFIG), bytes: CONFIG.length },
      "unpinned.bin": { sha256: null, bytes: null },
    },
  },
};

let modelsDir: string;
const store = () => ({ modelsDir, manifest, lock });

async function install(file: string, content: Buffer) {
  const fullPath = path.join(modelsDir, "toy-vad", file);
  await mkdir(path.dirname(fullPath), { recursive: true });
  await writeFile(fullPath, content);
}

beforeEach(async () => {
  modelsDir = await mkdtemp(path.join(tmpdir(), "parla-load-"));
  await install("onnx/model.onnx", WEIGHTS);
  await install("config.json", CONFIG);
});

afterEach(async () => {
  await rm(modelsDir, { recursive: true, force: true });
});

describe("readVerifiedModelFile", () => {
  it("returns the bytes of a file that matches the lock", async () => {
    const buffer = await readVerifiedModelFile("toy-vad", "onnx/model.onnx", store());
    expect(buffer.equals(WEIGHTS)).toBe(true);
  });

  it("refuses a tampered file with an error naming it", async () => {
    await install("onnx/model.onnx", Buffer.from("pretend these are onnx weightz"));
    const read = readVerifiedModelFile("toy-vad", "onnx/model.onnx", store());
    await expect(read).rejects.toBeInstanceOf(ModelIntegrityError);
    await expect(read).rejects.toThrow(path.join(modelsDir, "toy-vad", "onnx", "model.onnx"));
  });

  it("refuses unpinned, unknown and missing files", async () => {
    await install("unpinned.bin", Buffer.from("x"));
    await expect(readVerifiedModelFile("toy-vad", "unpinned.bin", store())).rejects.toThrow(
      "toy-vad/unpinned.bin is not pinned",
    );
    await expect(readVerifiedModelFile("toy-vad", "../toy-vad/config.json", store())).rejects.toThrow(
      "Unknown model file",
    );
    await expect(readVerifiedModelFile("nope", "config.json", store())).rejects.toThrow(
      'Unknown model "nope"',
    );
    await rm(path.join(modelsDir, "toy-vad", "config.json"));
    await expect(readVerifiedModelFile("toy-vad", "config.json", store())).rejects.toThrow(
      "is not installed",
    );
  });
});

describe("model folders", () => {
  it("resolves paths only for manifest entries", () => {
    expect(modelFilePath("toy-vad", "onnx/model.onnx", store())).toBe(
      path.join(modelsDir, "toy-vad", "onnx", "model.onnx"),
    );
    expect(resolveModelDir("toy-vad", store())).toBe(path.join(modelsDir, "toy-vad"));
    expect(() => resolveModelDir("__proto__", store())).toThrow(ModelIntegrityError);
  });

  it("reports each file's status and refuses a folder with a bad file", async () => {
    const statuses = (await checkModelFiles("toy-vad", store())).map((result) => result.status);
    expect(statuses).toEqual(["ok", "ok", "unpinned"]);
    await expect(verifyModelDir("toy-vad", store())).rejects.toThrow("unpinned.bin is not pinned");

    const pinnedOnly = [{ ...toy, files: toy.files.slice(0, 2) }];
    const folder = await verifyModelDir("toy-vad", { ...store(), manifest: pinnedOnly });
    expect(folder).toBe(path.join(modelsDir, "toy-vad"));
    await install("config.json", Buffer.from("{}"));
    await expect(verifyModelDir("toy-vad", store())).rejects.toThrow("config.json does not match");
  });
});
