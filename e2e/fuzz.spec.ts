/**
 * Thousands of malformed requests (JSON, multipart, headers, HTTP framing) against every route
 * of the running app: not one may get a 5xx, hang, or show a stack trace. FUZZ_COUNT sets the
 * number (default 2000), FUZZ_SEED the seed (default 1); a failure names seed and index, and
 * fuzzRequest(seed, index) rebuilds that exact request.
 */
import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures";
import { fuzzRequest, prng } from "./helpers/fuzz-input";
import { createApiKey, parla } from "./helpers/parla-cli";
import { rawRequest } from "./helpers/raw-http";

const COUNT = Number(process.env.FUZZ_COUNT ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 1);
const CONCURRENCY = 16;
const REQUEST_TIMEOUT_MS = 15_000;
/** A stack frame or an internal path in a response body. */
const LEAK = /node_modules|\n\s+at [^\n]*:\d+:\d+|webpack-internal/;

test("fuzz: malformed bodies, forms and headers on every route get no 5xx and no hang", async ({
  request,
}) => {
  test.setTimeout(240_000);
  const email = `e2e-fuzz-${randomUUID()}@example.com`;
  parla("user:create", "--email", email, "--password", "a long e2e password");
  const key = createApiKey(email, ["speech", "transcription", "results"]);
  const auth = { authorization: `Bearer ${key}` };
  const created = await request.post("/api/jobs", {
    headers: auth,
    data: { kind: "speech", input: "Fuzz target.", format: "wav" },
  });
  expect(created.status()).toBe(202);
  const { id: jobId } = (await created.json()) as { id: string };
  await expect
    .poll(
      async () =>
        ((await (await request.get(`/api/jobs/${jobId}`, { headers: auth })).json()) as { status: string })
          .status,
      {
        timeout: 120_000,
      },
    )
    .toBe("succeeded");
  const shared = await request.post(`/api/jobs/${jobId}/share`, { headers: auth });
  const { token: shareToken } = (await shared.json()) as { token: string };
  const context = { key, jobId, shareToken };

  const failures: string[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < COUNT) {
      const index = next++;
      const fuzz = fuzzRequest(SEED, index, context);
      const label = `seed ${SEED} #${index}: ${fuzz.method} ${fuzz.path.slice(0, 120)}`;
      try {
        const send = () =>
          request.fetch(fuzz.path, {
            method: fuzz.method,
            headers: fuzz.headers,
            data: fuzz.body,
            maxRedirects: 0,
            timeout: REQUEST_TIMEOUT_MS,
          });
        // A kept-alive connection the server closed after refusing the previous request (413, 408)
        // may be reused once by the client; a second reset is a real failure.
        const response = await send().catch((error: unknown) => {
          if (error instanceof Error && /ECONNRESET|socket hang up/.test(error.message)) return send();
          throw error;
        });
        statuses.set(response.status(), (statuses.get(response.status()) ?? 0) + 1);
        if (response.status() >= 500)
          failures.push(`${label} → ${response.status()} ${(await response.text()).slice(0, 200)}`);
        else if (fuzz.method !== "HEAD" && !/event-stream/.test(response.headers()["content-type"] ?? "")) {
          const text = await response.text();
          if (LEAK.test(text)) failures.push(`${label} → leaks internals: ${text.slice(0, 200)}`);
        }
      } catch (error) {
        failures.push(`${label} → ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `fuzz: ${COUNT} requests in ${seconds.toFixed(1)} s, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
  );
  expect(failures).toEqual([]);
  // The run reached the handlers, not only the doors: bodies were parsed and refused.
  expect(statuses.get(400) ?? 0).toBeGreaterThan(COUNT / 50);

  // Jobs a mutation happened to make valid are removed, so later tests find an idle queue.
  const { jobs } = (await (await request.get("/api/jobs", { headers: auth })).json()) as {
    jobs: { id: string }[];
  };
  for (const job of jobs) await request.delete(`/api/jobs/${job.id}`, { headers: auth });
});

test("fuzz: broken HTTP framing (Content-Length and Transfer-Encoding) gets a 4xx, never a 5xx or a hang", async ({
  baseURL,
}) => {
  // A declared length that never arrives waits out the body deadline (10 s) on each path.
  test.setTimeout(180_000);
  const port = Number(new URL(baseURL ?? "").port);
  const rng = prng(SEED);
  const framings: { headers: string[]; body: string }[] = [
    { headers: ["Content-Length: 10", "Transfer-Encoding: chunked"], body: "0\r\n\r\n" },
    { headers: ["Content-Length: -1"], body: "" },
    { headers: ["Content-Length: abc"], body: "" },
    { headers: ["Content-Length: 5", "Content-Length: 6"], body: "hello!" },
    { headers: ["Transfer-Encoding: gzip"], body: "x" },
    { headers: ["Transfer-Encoding: chunked"], body: "zz\r\nhello\r\n0\r\n\r\n" },
    { headers: ["Transfer-Encoding: chunked"], body: `${"f".repeat(20)}\r\nx\r\n` },
    { headers: ["Transfer-Encoding: chunked, identity"], body: "0\r\n\r\n" },
    { headers: ["Content-Length: 3"], body: "" },
    { headers: ["X-Bad\u0000Header: 1", "Content-Length: 0"], body: "" },
    { headers: [`X-Huge: ${"h".repeat(70_000)}`, "Content-Length: 0"], body: "" },
  ];
  const failures: string[] = [];
  for (const path of [
    "/api/jobs",
    "/api/jobs/00000000-0000-0000-0000-000000000000/share",
    "/v1/models",
    "/",
  ]) {
    for (const framing of framings) {
      const label = `POST ${path} with ${framing.headers.join(" | ").slice(0, 80)}`;
      try {
        const response = await rawRequest({
          port,
          head: [
            `POST ${path} HTTP/1.1`,
            "Host: 127.0.0.1",
            "Content-Type: application/json",
            `X-Forwarded-For: 10.9.${rng.int(256)}.${1 + rng.int(254)}`,
            "Connection: close",
            ...framing.headers,
          ],
          body: async (write) => void (await write(framing.body)),
          timeoutMs: REQUEST_TIMEOUT_MS,
        });
        // 0: the server closed the connection without a word, which is a fair answer to garbage.
        if (response.status >= 500) failures.push(`${label} → ${response.status}`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        // The server may refuse an oversized head (431) and close while the client is still
        // writing it: a reset is the server hanging up, not a 5xx or a hang.
        if (/\b(ECONNRESET|EPIPE)\b/.test(message)) continue;
        failures.push(`${label} → ${message.slice(0, 120)}`);
      }
    }
  }
  expect(failures).toEqual([]);
});
