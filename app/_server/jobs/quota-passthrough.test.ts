/**
 * A daily quota seen from outside: POST /api/jobs (the Next handler, with an API key) → the real
 * backend on a port (signed link, real queue and worker, quota charged there) → the 429 comes
 * back to the caller with Retry-After, the rate-limit headers and the quota's name.
 */
import { randomUUID } from "node:crypto";
import { type ServerType, serve } from "@hono/node-server";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKey } from "@/app/_server/db/queries/api-keys";
import { createUser } from "@/app/_server/db/queries/users";
import { type JobStack, PACED_HANDLERS, startJobStack } from "@/server/jobs/test-fixtures/job-stack";
import { stubEmbeddedEnv } from "@/test/embedded-env";
import { freePort } from "@/test/ports";

// The web app and the backend read the same settings, so they share the database and the secret.
const { env } = stubEmbeddedEnv("quota-link");
let stack: JobStack;
let server: ServerType;

beforeAll(async () => {
  const port = await freePort();
  vi.stubEnv("BACKEND_URL", `http://127.0.0.1:${port}`);
  stack = await startJobStack({
    settings: env,
    handlerModule: PACED_HANDLERS,
    quotas: { speech: { free: 40, pro: 400 }, transcription: { free: 5, pro: 50 } },
  });
  server = serve({ fetch: stack.app.fetch, hostname: "127.0.0.1", port });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await stack?.close();
});

describe("a daily quota through the web app", () => {
  it("answers the job past the quota with 429, Retry-After, the rate-limit headers and the quota's name", async () => {
    const { POST } = await import("@/app/api/jobs/route");
    const user = await createUser(stack.db, { email: `${randomUUID()}@example.com` });
    const { key } = await createApiKey(stack.db, { userId: user.id, scopes: ["speech"] });
    const speak = (input: string) =>
      POST(
        new NextRequest("http://localhost/api/jobs", {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ kind: "speech", input, voice: "af_heart", format: "wav" }),
        }),
      );
    expect((await speak("x".repeat(30))).status).toBe(202);
    const refused = await speak("y".repeat(11));
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { error: { code: string; quota: string; message: string } };
    expect(body.error).toMatchObject({ code: "rate_limited:quota", quota: "speech-characters-day" });
    expect(body.error.message).toContain("needs 11 characters, 10 of 40 are left today");
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(refused.headers.get("RateLimit-Policy")).toBe('"speech-characters-day";q=40;w=86400');
    expect(refused.headers.get("X-RateLimit-Limit")).toBe("40");
    expect(refused.headers.get("X-RateLimit-Remaining")).toBe("10");
    expect(refused.headers.get("RateLimit")).toMatch(/^"speech-characters-day";r=10;t=\d+$/);
  });
});
