/**
 * WHISPER_MODEL unset, seen from outside: the Next handlers (/v1/models, /api/health,
 * /v1/audio/transcriptions with an API key) → the real backend on a port (signed link, real
 * queue, a real worker running the product's handlers). With nothing installed, a transcription
 * gets 503 saying what to run and whisper-1 is not listed; once the fixture is installed in the
 * store (as `npm run models` does), the worker runs it and health and /v1/models name it.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKey } from "@/app/_server/db/queries/api-keys";
import { createUser } from "@/app/_server/db/queries/users";
import { makeTone } from "@/server/audio/make-test-audio";
import { type JobStack, PRODUCT_HANDLERS, startJobStack } from "@/server/jobs/test-fixtures/job-stack";
import { installFromMirror } from "@/test/install-models";
import { freePort } from "@/test/ports";

const dataDir = mkdtempSync(path.join(tmpdir(), "parla-whisper-default-"));
const env = {
  DATA_DIR: dataDir,
  AUTH_SECRET: "a".repeat(64),
  BACKEND_SECRET: "k".repeat(64),
  WHISPER_MODEL: "",
};
let stack: JobStack;
let server: ServerType;
let key: string;
let tone: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  const port = await freePort();
  for (const [name, value] of Object.entries({
    ...env,
    BACKEND_URL: `http://127.0.0.1:${port}`,
    REDIS_URL: "",
    UPSTASH_REDIS_REST_URL: "",
    UPSTASH_REDIS_REST_TOKEN: "",
  })) {
    vi.stubEnv(name, value);
  }
  stack = await startJobStack({ settings: env, handlerModule: PRODUCT_HANDLERS });
  server = serve({ fetch: stack.app.fetch, hostname: "127.0.0.1", port });
  const user = await createUser(stack.db, { email: `${randomUUID()}@example.com` });
  ({ key } = await createApiKey(stack.db, { userId: user.id, scopes: ["transcription"] }));
  tone = new Uint8Array(readFileSync(await makeTone(dataDir, "tone.wav", 1)));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await stack.close();
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

async function transcribe(model: string): Promise<Response> {
  const { POST } = await import("@/app/v1/audio/transcriptions/route");
  const form = new FormData();
  form.append("file", new Blob([tone], { type: "audio/wav" }), "tone.wav");
  form.append("model", model);
  return POST(
    new NextRequest("http://localhost/v1/audio/transcriptions", {
      method: "POST",
      headers: { authorization: `Bearer ${key}` },
      body: form,
    }),
  );
}

async function listedModels() {
  const { GET } = await import("@/app/v1/models/route");
  const response = await GET(
    new NextRequest("http://localhost/v1/models", { headers: { authorization: `Bearer ${key}` } }),
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { id: string; root?: string }[] }).data;
}

async function health() {
  const { GET } = await import("@/app/api/health/route");
  return (await (await GET()).json()) as { backend: { whisper: unknown } };
}

describe("WHISPER_MODEL unset", () => {
  it("with no Whisper installed: 503 naming the command for every Whisper name, whisper-1 unlisted", async () => {
    for (const model of ["whisper-1", "whisper-large-v3-turbo", "openai/whisper-base"]) {
      const refused = await transcribe(model);
      expect(refused.status).toBe(503);
      const body = (await refused.json()) as { error: { code: string; message: string; type: string } };
      expect(body.error).toMatchObject({ code: "unavailable:whisper", type: "server_error" });
      expect(body.error.message).toContain("run `npm run models -- whisper-base`");
    }
    expect((await listedModels()).map((model) => model.id)).not.toContain("whisper-1");
    expect((await health()).backend.whisper).toEqual({
      status: "missing",
      model: null,
      message: expect.stringContaining("npm run models -- whisper-base"),
    });
  });

  it("once the fixture is installed, it serves whisper-1 and every Whisper name, and says so", async () => {
    await installFromMirror(stack.config.models.dir, ["silero-vad", "whisper-tiny-random"]);
    expect((await health()).backend.whisper).toEqual({
      status: "available",
      model: "whisper-tiny-random",
      source: "store",
      chosenBy: "ranking",
    });
    expect((await listedModels()).find((model) => model.id === "whisper-1")).toEqual({
      id: "whisper-1",
      object: "model",
      created: 0,
      owned_by: "parla",
      root: "whisper-tiny-random",
    });
    // A public name the server does not have means the Whisper it runs.
    const answered = await transcribe("whisper-large-v3-turbo");
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ text: expect.any(String) });
    const jobId = answered.headers.get("X-Parla-Job-Id") ?? "";
    const { db, tables } = stack.db;
    const [row] = await db.select().from(tables.jobs).where(eq(tables.jobs.id, jobId));
    expect(row?.engine).toMatch(/^whisper-tiny-random \((cuda|webgpu|cpu)\)$/);
  }, 120_000);
});
