/**
 * `npm run bench:perimeter`: what the edge perimeter (proxy.ts) costs per request, on the
 * in-process memory store and on the real Redis (REDIS_URL, default redis://127.0.0.1:6379;
 * skipped with a note when unreachable). For each store, in a child process of its own (the
 * limiter and settings are per process):
 * - proxy() called directly: per-call time p50/p99 for an allowed request (a fresh client) and
 *   a refused one (a client already past the global limit: 429, and 403 once the flood has made it an automatic block);
 * - over HTTP with autocannon: requests per second and latency p50/p99 for the same two cases,
 *   beside a server that answers without the proxy (the overhead is the difference).
 * Prints a table and ratios, writes bench-results/perimeter.json.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { Redis } from "ioredis";
import { RATE_LIMITS } from "@/lib/limits";

const DIRECT_CALLS = 5_000;
const HTTP_SECONDS = 5;
const CONNECTIONS = 20;
/** Allowed traffic comes from this many clients in turn, each far below the global limit. */
const CLIENTS = 5_000;
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";

type Percentiles = { p50: number; p99: number };
interface HttpResult extends Percentiles {
  requestsPerSecond: number;
  statuses: Record<string, number>;
}
interface StoreResult {
  store: "memory" | "redis";
  directMicroseconds: { allowed: Percentiles; refused: Percentiles };
  httpMs: { baseline: HttpResult; allowed: HttpResult; refused: HttpResult };
}

const clientAddress = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255 || 1}`;

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

async function child(): Promise<void> {
  const { NextRequest } = await import("next/server");
  const { proxy } = await import("@/proxy");
  const request = (client: string) =>
    new NextRequest("http://127.0.0.1/api/jobs", { headers: { "x-forwarded-for": client } });

  // Warm up (store connection, JIT), then time proxy() itself.
  for (let i = 0; i < 200; i++) await proxy(request(clientAddress(CLIENTS + i)));
  const timeCalls = async (client: (i: number) => string) => {
    const samples: number[] = [];
    for (let i = 0; i < DIRECT_CALLS; i++) {
      const started = performance.now();
      await proxy(request(client(i)));
      samples.push((performance.now() - started) * 1000);
    }
    return percentiles(samples);
  };
  const refusedClient = "192.0.2.1";
  // Windows are epoch-aligned: refill the refused client's minute right before each refused
  // phase, and never start one in the last seconds of a minute.
  const exhaust = async () => {
    const left = 60_000 - (Date.now() % 60_000);
    if (left < (HTTP_SECONDS + 5) * 1000) await new Promise((resolve) => setTimeout(resolve, left + 100));
    for (let i = 0; i < RATE_LIMITS.global.windows[0].limit; i++) await proxy(request(refusedClient));
    const check = await proxy(request(refusedClient));
    // 429 until the client has drawn LIMITS.abuse.MAX_RATE_LIMITED_PER_WINDOW of them, then 403:
    // a flood past the limit becomes an automatic block, refused before the limiter is asked.
    if (check.status !== 429 && check.status !== 403)
      throw new Error(`expected the exhausted client to be refused, got ${check.status}`);
  };
  const directMicroseconds = {
    allowed: await timeCalls((i) => clientAddress(i % CLIENTS)),
    refused: await exhaust().then(() => timeCalls(() => refusedClient)),
  };

  // The same over HTTP: a Node server that runs proxy() on every request, and one that does not.
  // autocannon runs in the parent process, so the load generator does not share this event loop.
  const serve = (handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) =>
    new Promise<string>((resolve) => {
      const server = createServer((req, res) => void handler(req, res));
      server.listen(0, "127.0.0.1", () => {
        resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}/api/jobs`);
      });
    });
  const proxied = await serve(async (req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === "string") headers.set(name, value);
    const response = await proxy(
      new NextRequest(`http://127.0.0.1${req.url}`, { method: req.method, headers }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(response.status === 200 ? "{}" : await response.text());
  });
  const baseline = await serve(async (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
  send({ direct: directMicroseconds, proxied, baseline, refusedClient });
  // The parent asks for the refused client to be topped up right before its refused run.
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === "exhaust") {
      await exhaust();
      send({ exhausted: true });
    }
  }
}

interface ChildReady {
  direct: StoreResult["directMicroseconds"];
  proxied: string;
  baseline: string;
  refusedClient: string;
}

const send = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

async function load(url: string, client: () => string): Promise<HttpResult> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: HTTP_SECONDS,
    requests: [
      { setupRequest: (req) => ({ ...req, headers: { ...req.headers, "x-forwarded-for": client() } }) },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statuses: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
    ),
  };
}

async function redisReachable(): Promise<boolean> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0 });
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function runStore(store: StoreResult["store"]): Promise<StoreResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "parla-bench-perimeter-"));
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1] ?? "", "--store", store], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATA_DIR: dataDir,
      AUTH_SECRET: "a".repeat(64),
      BACKEND_SECRET: "b".repeat(64),
      LOG_LEVEL: "silent",
      TRUST_PROXY_HOPS: "1",
      REDIS_URL: store === "redis" ? REDIS_URL : "",
      UPSTASH_REDIS_REST_URL: "",
      UPSTASH_REDIS_REST_TOKEN: "",
    },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextMessage = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`the ${store} run ended early`);
    return JSON.parse(value) as Record<string, unknown>;
  };
  try {
    const ready = (await nextMessage()) as unknown as ChildReady;
    let next = 0;
    const rotating = () => clientAddress(next++ % CLIENTS);
    const baseline = await load(ready.baseline, rotating);
    const allowed = await load(ready.proxied, rotating);
    child.stdin.write("exhaust\n");
    await nextMessage();
    const refused = await load(ready.proxied, () => ready.refusedClient);
    return { store, directMicroseconds: ready.direct, httpMs: { baseline, allowed, refused } };
  } finally {
    child.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const storeFlag = process.argv.indexOf("--store");
if (storeFlag !== -1) {
  // The store comes from the settings the parent passed (REDIS_URL set or empty).
  await child();
  process.exit(0);
}

const results: StoreResult[] = [await runStore("memory")];
if (await redisReachable()) results.push(await runStore("redis"));
else console.error(`Redis unreachable at ${REDIS_URL}: the Redis store is skipped`);

const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const ratio = (a: number, b: number) => Number((a / b).toPrecision(2));
console.table(
  results.flatMap((r) =>
    (["allowed", "refused"] as const).map((kind) => ({
      store: r.store,
      request: kind,
      "proxy() µs p50": round(r.directMicroseconds[kind].p50),
      "proxy() µs p99": round(r.directMicroseconds[kind].p99),
      "HTTP req/s": Math.round(r.httpMs[kind].requestsPerSecond),
      "HTTP ms p50": r.httpMs[kind].p50,
      "HTTP ms p99": r.httpMs[kind].p99,
      "baseline req/s": Math.round(r.httpMs.baseline.requestsPerSecond),
      statuses: JSON.stringify(r.httpMs[kind].statuses),
    })),
  ),
);
const ratios = Object.fromEntries(
  results.map((r) => [
    r.store,
    {
      allowedRpsOverBaseline: ratio(r.httpMs.allowed.requestsPerSecond, r.httpMs.baseline.requestsPerSecond),
      refusedRpsOverAllowed: ratio(r.httpMs.refused.requestsPerSecond, r.httpMs.allowed.requestsPerSecond),
    },
  ]),
);
const [memory, redis] = results;
if (memory && redis) {
  Object.assign(ratios, {
    redisOverMemoryAllowedP50: ratio(
      redis.directMicroseconds.allowed.p50,
      memory.directMicroseconds.allowed.p50,
    ),
  });
}
console.log("Ratios:", ratios);

mkdirSync("bench-results", { recursive: true });
writeFileSync(
  path.join("bench-results", "perimeter.json"),
  `${JSON.stringify(
    {
      at: new Date().toISOString(),
      settings: {
        directCalls: DIRECT_CALLS,
        httpSeconds: HTTP_SECONDS,
        connections: CONNECTIONS,
        clients: CLIENTS,
      },
      results,
      ratios,
    },
    null,
    2,
  )}\n`,
);
