/** Failure paths of the backend link; the signed happy path is in server/index.test.ts. */
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { backendRequest } from "@/app/_server/backend-client";
import { ApiError } from "@/lib/errors";
import { backendPingSchema } from "@/lib/schemas/backend";

const dataDir = mkdtempSync(path.join(tmpdir(), "parla-backend-client-"));
let port = 0;

function listen(server: net.Server, onPort = 0): Promise<number> {
  return new Promise((resolve) =>
    server.listen(onPort, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );
}

async function failureOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  const probe = net.createServer();
  port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  vi.stubEnv("DATA_DIR", dataDir);
  vi.stubEnv("BACKEND_URL", `http://127.0.0.1:${port}`);
  vi.stubEnv("BACKEND_SECRET", "k".repeat(64));
  vi.stubEnv("AUTH_SECRET", "a".repeat(64));
});

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("backendRequest", () => {
  it("refuses paths that could leave the backend's origin", async () => {
    await expect(
      backendRequest({ method: "GET", path: "//elsewhere.example/x", schema: backendPingSchema }),
    ).rejects.toThrow(TypeError);
  });

  it("reports a backend that is down as unavailable:backend", async () => {
    const error = await failureOf(
      backendRequest({ method: "GET", path: "/internal/ping", schema: backendPingSchema }),
    );
    expect(error.code).toBe("unavailable:backend");
    expect(error.status).toBe(503);
  });

  it("gives up on a backend that accepts but never answers", async () => {
    const sockets = new Set<net.Socket>();
    const hung = net.createServer((socket) => sockets.add(socket));
    await listen(hung, port);
    try {
      const error = await failureOf(
        backendRequest({ method: "GET", path: "/internal/ping", schema: backendPingSchema, timeoutMs: 300 }),
      );
      expect(error.code).toBe("unavailable:backend");
      expect(error.message).toMatch(/in time/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hung.close(resolve));
    }
  });
});
