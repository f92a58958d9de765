/** Boots the real backend process and talks to it the way the Next app does. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { backendRequest } from "@/app/_server/backend-client";
import { backendHealthSchema, backendPingSchema, echoSizeReplySchema } from "@/lib/schemas/backend";
import { failureOf } from "@/test/api-error";
import { stubBackendProcessEnv } from "@/test/backend-process-env";
import { freePort } from "@/test/ports";

const ROOT = path.resolve(import.meta.dirname, "..");
const BOOT_TIMEOUT_MS = 30_000;

let child: ChildProcess;
let closed: Promise<void>;
let output = "";
let stopped = false;
let port = 0;
const dataDir = mkdtempSync(path.join(tmpdir(), "parla-backend-boot-"));

async function waitForHealth() {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`backend exited early:\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`backend did not start:\n${output}`);
}

function connect(host: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 3_000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve("timeout");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
  });
}

beforeAll(async () => {
  port = await freePort();
  stubBackendProcessEnv(dataDir, port);
  child = spawn("npx", ["tsx", "server/index.ts"], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "info" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  // "close" waits for every process holding the pipes (npx, tsx, the server), not just npx.
  closed = new Promise((resolve) => child.once("close", () => resolve()));
  await waitForHealth();
});

afterAll(() => {
  if (child?.pid && !stopped) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  }
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("backend process", () => {
  it("answers signed calls made through backendRequest", async () => {
    const health = await backendRequest({ method: "GET", path: "/health", schema: backendHealthSchema });
    expect(health).toMatchObject({ status: "ok", models: [{ id: "silero-vad", status: "missing" }] });
    const ping = await backendRequest({ method: "GET", path: "/internal/ping", schema: backendPingSchema });
    expect(ping.ok).toBe(true);
    const echo = await backendRequest({
      method: "POST",
      path: "/internal/echo-size?text=private-words",
      body: { n: 3, note: "private-body" },
      schema: echoSizeReplySchema,
    });
    expect(echo).toEqual({ n: 3, bytes: JSON.stringify({ n: 3, note: "private-body" }).length });
  });

  it("starts a worker at once, which warms the best speech engine and reports it in /health", async () => {
    // No job has been sent: the worker was started and warmed by the backend's start-up alone.
    // No model is installed here, so the best speech engine is espeak-ng's basic voice.
    const deadline = Date.now() + 60_000;
    let health = await backendRequest({ method: "GET", path: "/health", schema: backendHealthSchema });
    while (health.engines.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      health = await backendRequest({ method: "GET", path: "/health", schema: backendHealthSchema });
    }
    expect(health.engines).toEqual([{ kind: "speech", engine: "basic", provider: "espeak-ng" }]);
    expect(output).toMatch(/"msg":"worker ready"/);
  }, 90_000);

  it("turns a reply that does not parse into unavailable:backend", async () => {
    const error = await failureOf(
      backendRequest({ method: "GET", path: "/internal/ping", schema: backendHealthSchema }),
    );
    expect(error.code).toBe("unavailable:backend");
  });

  it("passes on failures the caller caused, naming the field", async () => {
    const error = await failureOf(
      backendRequest({
        method: "POST",
        path: "/internal/echo-size",
        body: { n: "x" },
        schema: echoSizeReplySchema,
      }),
    );
    expect(error.code).toBe("bad_request:body");
    expect(error.issues?.map((issue) => issue.path)).toEqual(["n"]);
  });

  it("logs requests without query strings or bodies", () => {
    expect(output).toContain('"route":"/internal/echo-size"');
    expect(output).not.toContain("private-");
  });

  it("listens on loopback only", async (context) => {
    expect(await connect("127.0.0.1")).toBe("connected");
    const external = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && entry.family === "IPv4" && !entry.internal);
    if (!external) return context.skip("this machine has no non-loopback IPv4 address");
    expect(await connect(external.address)).toBe("ECONNREFUSED");
  });

  it("stops gracefully on SIGTERM", async () => {
    if (!child.pid) throw new Error("no backend process");
    // The whole group, as a terminal's Ctrl-C would: npx does not relay signals, tsx does.
    process.kill(-child.pid, "SIGTERM");
    await closed;
    stopped = true;
    expect(output).toContain("backend stopped");
    expect(await connect("127.0.0.1")).toBe("ECONNREFUSED");
  });
});
