import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ModelIntegrityError } from "@/models/errors";
import { type FetchModelsOptions, fetchModels } from "@/models/fetch";
import { sha256Hex } from "@/models/hash";
import { MODEL_LOCK, updateLock } from "@/models/lock";
import { MODEL_MANIFEST } from "@/models/manifest";
import type { ModelEntry, ModelLock } from "@/models/schema";
import { expandModelIds } from "@/models/select";
import { hasModelMirror, MODEL_MIRROR_DIR } from "@/test/mirror";

const BODY = randomBytes(256 * 1024);
const HALF = BODY.length / 2;

interface Seen {
  path: string;
  range: string | undefined;
}

let server: ReturnType<typeof createServer>;
let baseUrl: string;
let seen: Seen[];
let modelsDir: string;

function sendRange(req: IncomingMessage, res: ServerResponse, body: Buffer) {
  const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? "")?.[1] ?? 0);
  if (!req.headers.range) {
    res.writeHead(200, { "content-length": body.length });
  } else {
    res.writeHead(206, {
      "content-length": body.length - start,
      "content-range": `bytes ${start}-${body.length - 1}/${body.length}`,
    });
  }
  res.end(body.subarray(start));
}

/** Sends the headers for the whole body, then only its first half, then drops the connection. */
function cutMidBody(res: ServerResponse, body: Buffer) {
  res.writeHead(200, { "content-length": body.length });
  res.write(body.subarray(0, HALF), () => res.socket?.destroy());
}

const ROUTES: Record<string, (req: IncomingMessage, res: ServerResponse, count: number) => void> = {
  "/good.bin": (req, res) => sendRange(req, res, BODY),
  "/truncated.bin": (_req, res) => cutMidBody(res, BODY),
  "/flaky.bin": (req, res, count) => (count === 1 ? cutMidBody(res, BODY) : sendRange(req, res, BODY)),
  "/no-range.bin": (_req, res, count) => (count === 1 ? cutMidBody(res, BODY) : res.end(BODY)),
  "/stall.bin": (req, res, count) =>
    count === 1 ? res.writeHead(200).write(BODY.subarray(0, HALF)) : sendRange(req, res, BODY),
  "/wrong.bin": (_req, res) => res.end(randomBytes(BODY.length)),
};

function hits(route: string): Seen[] {
  return seen.filter((request) => request.path === route);
}

function entryFor(route: string): ModelEntry {
  return {
    id: "test-model",
    description: "test",
    license: "MIT",
    engine: "vad",
    files: [{ path: `weights${route}`, url: `${baseUrl}${route}` }],
  };
}

function lockFor(entry: ModelEntry, sha256: string | null = sha256Hex(BODY)): ModelLock {
  const files = Object.fromEntries(
    entry.files.map((file) => [file.path, { sha256, bytes: sha256 ? BODY.length : null }]),
  );
  return { version: 1, models: { [entry.id]: files } };
}

function run(entry: ModelEntry, options: Partial<FetchModelsOptions> = {}) {
  return fetchModels({ entries: [entry], lock: lockFor(entry), modelsDir, retryDelayMs: 0, ...options });
}

const finalPath = (route: string) => path.join(modelsDir, "test-model", "weights", route.slice(1));

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = new URL(req.url ?? "/", "http://localhost").pathname;
    seen.push({ path: route, range: req.headers.range });
    const handler = ROUTES[route];
    if (handler) handler(req, res, hits(route).length);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  seen = [];
  modelsDir = await mkdtemp(path.join(tmpdir(), "parla-fetch-"));
});

afterEach(async () => {
  await rm(modelsDir, { recursive: true, force: true });
});

describe("fetchModels over HTTP", () => {
  it("downloads, verifies and installs a good file, then skips it when present", async () => {
    const result = await run(entryFor("/good.bin"));
    expect(result.failures).toEqual([]);
    expect(result.files[0]).toMatchObject({ source: "network", bytes: BODY.length, sha256: sha256Hex(BODY) });
    expect((await readFile(finalPath("/good.bin"))).equals(BODY)).toBe(true);
    expect(existsSync(`${finalPath("/good.bin")}.part`)).toBe(false);

    const again = await run(entryFor("/good.bin"));
    expect(again.files[0]?.source).toBe("present");
    expect(hits("/good.bin")).toHaveLength(1);
  });

  it("gives up on a response that is always truncated, naming the file", async () => {
    const result = await run(entryFor("/truncated.bin"), { maxAttempts: 2 });
    expect(result.failures[0]?.error.message).toContain("test-model/weights/truncated.bin");
    expect(hits("/truncated.bin")).toHaveLength(2);
    expect(existsSync(finalPath("/truncated.bin"))).toBe(false);
  });

  it("refuses a file whose hash does not match and leaves nothing behind", async () => {
    const result = await run(entryFor("/wrong.bin"));
    const error = result.failures[0]?.error;
    expect(error).toBeInstanceOf(ModelIntegrityError);
    expect(error?.message).toContain("test-model/weights/wrong.bin");
    expect(existsSync(finalPath("/wrong.bin"))).toBe(false);
    expect(existsSync(`${finalPath("/wrong.bin")}.part`)).toBe(false);
  });

  it("resumes an interrupted download with a Range request", async () => {
    const result = await run(entryFor("/flaky.bin"));
    expect(result.failures).toEqual([]);
    const ranges = hits("/flaky.bin").map((request) => request.range);
    expect(ranges[0]).toBeUndefined();
    expect(ranges[1]).toMatch(/^bytes=[1-9]\d*-$/);
    expect((await readFile(finalPath("/flaky.bin"))).equals(BODY)).toBe(true);
  });

  it("restarts cleanly when the server ignores Range", async () => {
    const result = await run(entryFor("/no-range.bin"));
    expect(result.failures).toEqual([]);
    expect(hits("/no-range.bin")[1]?.range).toBeDefined();
    expect((await readFile(finalPath("/no-range.bin"))).equals(BODY)).toBe(true);
  });

  it("aborts a stalled download and resumes it", async () => {
    const result = await run(entryFor("/stall.bin"), { stallTimeoutMs: 300 });
    expect(result.failures).toEqual([]);
    expect(hits("/stall.bin")[1]?.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect((await readFile(finalPath("/stall.bin"))).equals(BODY)).toBe(true);
  });

  it("does not retry a 404", async () => {
    const result = await run(entryFor("/missing.bin"));
    expect(result.failures[0]?.error.message).toMatch(/test-model\/weights\/missing\.bin.*HTTP 404/);
    expect(hits("/missing.bin")).toHaveLength(1);
  });

  it("refuses an unpinned file unless locking, and reports the digest when locking", async () => {
    const entry = entryFor("/good.bin");
    const refused = await run(entry, { lock: lockFor(entry, null) });
    expect(refused.failures[0]?.error.message).toMatch(/test-model\/weights\/good\.bin is not pinned/);
    expect(seen).toHaveLength(0);

    const locked = await run(entry, { lock: lockFor(entry, null), mode: "lock" });
    expect(locked.files[0]).toMatchObject({ sha256: sha256Hex(BODY), bytes: BODY.length });
    const lock = updateLock(lockFor(entry, null), [entry], locked.files);
    expect(lock.models["test-model"]?.["weights/good.bin"]?.sha256).toBe(sha256Hex(BODY));
  });
});

describe("fetchModels from a mirror", () => {
  it("copies from the mirror folder without touching the network", async () => {
    const mirrorDir = path.join(modelsDir, "mirror");
    await mkdir(path.join(mirrorDir, "copies"), { recursive: true });
    await writeFile(path.join(mirrorDir, "copies", "good.bin"), BODY);
    const entry = entryFor("/good.bin");
    const mirrored = {
      ...entry,
      files: entry.files.map((file) => ({ ...file, mirrorPath: "copies/good.bin" })),
    };
    const result = await run(mirrored, { mirrorDir });
    expect(result.files[0]?.source).toBe("mirror");
    expect(seen).toHaveLength(0);
    expect((await readFile(finalPath("/good.bin"))).equals(BODY)).toBe(true);
  });

  it.skipIf(!hasModelMirror)("installs silero-vad from the shared mirror against the real lock", async () => {
    const result = await fetchModels({
      entries: expandModelIds(["silero-vad"], MODEL_MANIFEST),
      lock: MODEL_LOCK,
      modelsDir,
      mirrorDir: MODEL_MIRROR_DIR,
    });
    expect(result.failures).toEqual([]);
    expect(result.files.every((file) => file.source === "mirror")).toBe(true);
  });
});
