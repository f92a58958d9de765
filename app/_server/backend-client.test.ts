/** Failure paths of the backend link; the signed happy path is in server/index.test.ts. */
import net from "node:net";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { backendRequest } from "@/app/_server/backend-client";
import { backendPingSchema } from "@/lib/schemas/backend";
import { failureOf } from "@/test/api-error";
import { stubEmbeddedEnv } from "@/test/embedded-env";
import { freePort } from "@/test/ports";

stubEmbeddedEnv("backend-client");
let port = 0;

function listen(server: net.Server, onPort = 0): Promise<number> {
  return new Promise((resolve) =>
    server.listen(onPort, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );
}

beforeAll(async () => {
  // Nothing listens here until a test does.
  port = await freePort();
  vi.stubEnv("BACKEND_URL", `http://127.0.0.1:${port}`);
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
