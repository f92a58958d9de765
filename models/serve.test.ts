import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RATE_LIMITS } from "@/lib/limits";
import type { ModelIntegrityError } from "@/models/errors";
import { sha256Hex } from "@/models/hash";
import type { ModelEntry, ModelLock } from "@/models/schema";
import { type ServeModelFileOptions, type ServeModelFileResult, serveModelFile } from "@/models/serve";
import { hasModelMirror, MODEL_MIRROR_DIR } from "@/test/mirror";

const WEIGHTS = Buffer.from("pretend these are onnx weights");
const CONFIG = Buffer.from('{"sample_rate":16000}');

const manifest: ModelEntry[] = [
  {
    id: "toy-vad",
    description: "toy",
    license: "MIT",
    engine: "vad",
    files: ["onnx/model.onnx", "config.json", "spare.json", "unpinned.bin"].map((file) => ({
      path: file,
      url: `https://example.invalid/${file}`,
    })),
  },
];

const pin = (content: Buffer) => ({ sha256: sha256Hex(content), bytes: content.length });
const lock: ModelLock = {
  version: 1,
  models: {
    "toy-vad": {
      "onnx/model.onnx": pin(WEIGHTS),
      "config.json": pin(CONFIG),
      "spare.json": pin(CONFIG),
      "unpinned.bin": { sha256: null, bytes: null },
    },
  },
};

let root: string;
const refused: ModelIntegrityError[] = [];
const options = (): ServeModelFileOptions => ({
  modelsDir: path.join(root, "models"),
  manifest,
  lock,
  onIntegrityError: (error) => refused.push(error),
});

async function install(file: string, content: Buffer) {
  const fullPath = path.join(root, "models", "toy-vad", file);
  await mkdir(path.dirname(fullPath), { recursive: true });
  await writeFile(fullPath, content);
}

function serve(id: string, file: string, headers: Record<string, string> = {}) {
  return serveModelFile(id, file, new Headers(headers), options());
}

const bodyOf = async (result: ServeModelFileResult) =>
  Buffer.from(await new Response(result.body).arrayBuffer());
const errorOf = async (result: ServeModelFileResult) => JSON.parse((await bodyOf(result)).toString("utf8"));

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "parla-serve-"));
  await install("onnx/model.onnx", WEIGHTS);
  await install("config.json", CONFIG);
  await install("spare.json", CONFIG);
  await install("unpinned.bin", Buffer.from("?"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("serveModelFile", () => {
  it("serves a verified file with a strong ETag and immutable caching", async () => {
    const result = await serve("toy-vad", "onnx/model.onnx");
    expect(result.status).toBe(200);
    expect(result.headers).toMatchObject({
      etag: `"${sha256Hex(WEIGHTS)}"`,
      "cache-control": "public, max-age=31536000, immutable",
      "content-type": "application/octet-stream",
      "content-length": String(WEIGHTS.length),
    });
    expect((await bodyOf(result)).equals(WEIGHTS)).toBe(true);
    expect((await serve("toy-vad", "config.json")).headers["content-type"]).toBe("application/json");
  });

  it("answers 304 when If-None-Match carries the pinned hash", async () => {
    const etag = `"${sha256Hex(WEIGHTS)}"`;
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const result = await serve("toy-vad", "onnx/model.onnx", { "if-none-match": header });
      expect(result.status).toBe(304);
      expect(result.body).toBeNull();
      expect(result.headers.etag).toBe(etag);
    }
    expect((await serve("toy-vad", "onnx/model.onnx", { "if-none-match": '"other"' })).status).toBe(200);
  });

  it("answers 404 for unknown ids, unknown paths and every traversal spelling", async () => {
    const attempts: [string, string][] = [
      ["nope", "config.json"],
      ["__proto__", "config.json"],
      ["toy-vad", "constructor"],
      ["toy-vad", "missing.json"],
      ["toy-vad", "../toy-vad/config.json"],
      ["toy-vad", "onnx/../config.json"],
      ["toy-vad", "./config.json"],
      ["toy-vad", "%2e%2e/toy-vad/config.json"],
      ["toy-vad", "..%2fconfig.json"],
      ["toy-vad", "onnx%2fmodel.onnx"],
      ["toy-vad", "onnx\\model.onnx"],
      ["toy-vad", "/etc/passwd"],
      ["..", "toy-vad/config.json"],
    ];
    for (const [id, file] of attempts) {
      const result = await serve(id, file);
      expect(result.status, `${id} ${file}`).toBe(404);
      expect((await errorOf(result)).error.code).toBe("not_found:models");
    }
  });

  it("refuses tampered, unpinned and missing files with a 503 naming the file", async () => {
    expect((await serve("toy-vad", "spare.json")).status).toBe(200);
    await install("spare.json", Buffer.from('{"sample_rate":8000,"tampered":true}'));
    const tampered = await serve("toy-vad", "spare.json");
    expect(tampered.status).toBe(503);
    const body = await errorOf(tampered);
    expect(body.error.code).toBe("unavailable:models");
    expect(body.error.message).toBe("Model file toy-vad/spare.json does not match models.lock.json");
    expect(JSON.stringify(body)).not.toMatch(/\bat\s.*\(/);
    expect(refused.at(-1)?.filePath).toBe("spare.json");

    await install("spare.json", CONFIG);
    expect((await serve("toy-vad", "spare.json")).status).toBe(200);
    expect((await serve("toy-vad", "unpinned.bin")).status).toBe(503);
    await rm(path.join(root, "models", "toy-vad", "spare.json"));
    expect((await errorOf(await serve("toy-vad", "spare.json"))).error.message).toContain("is not installed");
  });
});

describe.skipIf(!hasModelMirror)("GET /api/models/[id]/[...path]", () => {
  it("serves a file of the real manifest through the Next route", async () => {
    process.env.MODELS_DIR = path.join(root, "real-models");
    process.env.DATA_DIR = path.join(root, "data");
    await mkdir(path.join(root, "real-models", "silero-vad"), { recursive: true });
    await copyFile(
      path.join(MODEL_MIRROR_DIR, "silero-vad", "LICENSE"),
      path.join(root, "real-models", "silero-vad", "LICENSE"),
    );
    const { GET } = await import("@/app/api/models/[id]/[...path]/route");
    const request = new Request("http://localhost/api/models/silero-vad/LICENSE");
    const response = await GET(request, { params: Promise.resolve({ id: "silero-vad", path: ["LICENSE"] }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toContain("immutable");
    // Metered by the model-download policy, which the response reports.
    expect(response.headers.get("x-ratelimit-limit")).toBe(
      String(RATE_LIMITS["model-download"].windows[0].limit),
    );
    expect((await response.text()).length).toBeGreaterThan(0);
    const missing = await GET(request, {
      params: Promise.resolve({ id: "silero-vad", path: ["..", "LICENSE"] }),
    });
    expect(missing.status).toBe(404);
  });
});
