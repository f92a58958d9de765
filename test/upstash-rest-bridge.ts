/**
 * A stand-in for Upstash's REST API over the real local Redis, so the real @upstash/redis and
 * @upstash/ratelimit clients can be tested without the hosted service. It speaks what those
 * clients use: POST / (one command as a JSON array → {result} or 400 {error}), POST /pipeline
 * and /multi-exec (arrays of commands → arrays of {result}|{error}), Bearer tokens, and the
 * `Upstash-Encoding: base64` response encoding the client asks for by default.
 *
 * One fidelity shim: Upstash scripts start with `#!lua flags=allow-key-locking`, a flag only
 * Upstash knows (stock Redis refuses the script). The bridge drops that flag before the script
 * reaches Redis and maps the client's SHA1 of the original text to the SHA1 Redis knows, so
 * EVALSHA and the client's NOSCRIPT → EVAL fallback behave as they do against Upstash.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { z } from "zod";

const command = z.array(z.union([z.string(), z.number(), z.boolean()]).transform(String)).min(1);
const commands = z.array(command);

type Reply = { result: unknown } | { error: string };

export interface UpstashRestBridge {
  url: string;
  token: string;
  /** While stalled, requests are accepted and never answered (a slow store). */
  setStalled(stalled: boolean): void;
  /** Closes the port and every open connection: the store is down. */
  stop(): Promise<void>;
}

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

const UPSTASH_ONLY_FLAGS = new Set(["allow-key-locking"]);

function stripUpstashFlags(script: string): string {
  return script.replace(/^#!lua flags=([^\n]*)/, (_, flags: string) => {
    const kept = flags.split(",").filter((flag) => flag && !UPSTASH_ONLY_FLAGS.has(flag.trim()));
    return kept.length > 0 ? `#!lua flags=${kept.join(",")}` : "#!lua";
  });
}

function base64Encode(value: unknown): unknown {
  if (typeof value === "string") return Buffer.from(value, "utf8").toString("base64");
  if (Array.isArray(value)) return value.map(base64Encode);
  return value;
}

export async function startUpstashRestBridge(redisUrl: string): Promise<UpstashRestBridge> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const token = randomBytes(16).toString("hex");
  /** SHA1 the client computed (of the original script) → SHA1 of the script Redis holds. */
  const shas = new Map<string, string>();
  const stalledResponses = new Set<ServerResponse>();
  let stalled = false;

  function translate(args: string[]): string[] {
    const [name = "", ...rest] = args;
    const upper = name.toUpperCase();
    if ((upper === "EVAL" || upper === "EVAL_RO") && rest[0] !== undefined) {
      const script = stripUpstashFlags(rest[0]);
      shas.set(sha1(rest[0]), sha1(script));
      return [name, script, ...rest.slice(1)];
    }
    if ((upper === "EVALSHA" || upper === "EVALSHA_RO") && rest[0] !== undefined) {
      return [name, shas.get(rest[0]) ?? rest[0], ...rest.slice(1)];
    }
    return args;
  }

  async function run(args: string[]): Promise<Reply> {
    const [name = "", sub = "", script] = args;
    try {
      if (name.toUpperCase() === "SCRIPT" && sub.toUpperCase() === "LOAD" && script !== undefined) {
        const loaded = stripUpstashFlags(script);
        shas.set(sha1(script), await redis.script("LOAD", loaded).then(String));
        return { result: sha1(script) };
      }
      const [translated = "", ...rest] = translate(args);
      return { result: await redis.call(translated, ...rest) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  async function runMulti(batch: string[][]): Promise<Reply[]> {
    const multi = redis.multi();
    for (const args of batch) {
      const [name = "", ...rest] = translate(args);
      multi.call(name, ...rest);
    }
    const replies = (await multi.exec()) ?? [];
    return replies.map(([error, result]) => (error ? { error: error.message } : { result }));
  }

  async function readJson(request: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  }

  function send(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { "Content-Type": "application/json" });
    response.end(JSON.stringify(body));
  }

  const server = createServer(async (request, response) => {
    if (stalled) {
      stalledResponses.add(response);
      return;
    }
    if (request.headers.authorization !== `Bearer ${token}`) {
      send(response, 401, { error: "Unauthorized" });
      return;
    }
    const encode = (value: unknown) =>
      request.headers["upstash-encoding"] === "base64" ? base64Encode(value) : value;
    try {
      const body = await readJson(request);
      if (request.method !== "POST") throw new Error("only POST is supported");
      if (request.url === "/pipeline" || request.url === "/multi-exec") {
        const batch = commands.parse(body);
        const replies =
          request.url === "/pipeline" ? await Promise.all(batch.map(run)) : await runMulti(batch);
        send(
          response,
          200,
          replies.map((reply) => ("result" in reply ? { result: encode(reply.result) } : reply)),
        );
        return;
      }
      const reply = await run(command.parse(body));
      if ("error" in reply) send(response, 400, reply);
      else send(response, 200, { result: encode(reply.result) });
    } catch (error) {
      send(response, 400, { error: error instanceof Error ? error.message : String(error) });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    setStalled(value) {
      stalled = value;
    },
    async stop() {
      for (const response of stalledResponses) response.destroy();
      stalledResponses.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      redis.disconnect();
    },
  };
}
