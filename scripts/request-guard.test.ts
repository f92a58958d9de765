import { createServer, type Server } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardRequestBody } from "./body-guard";
import { guardFormPost } from "./form-post-guard";
import { guardRequestLine, pathDecodes, sanitizeForwardedHeaders } from "./request-guard";
import { routeHandlerPatterns } from "./route-patterns";

describe("request line", () => {
  it("refuses paths whose percent-encoding does not decode", () => {
    expect(pathDecodes("/api/jobs/%E0%A4%A")).toBe(false);
    expect(pathDecodes("/r/%ZZ")).toBe(false);
    expect(pathDecodes("/api/jobs/abc?q=%")).toBe(true);
    expect(pathDecodes("/r/%F0%9F%92%A9")).toBe(true);
  });

  it("keeps X-Forwarded-Host only when a trusted proxy could have written a valid host", () => {
    const headers = (host: string) => ({ "x-forwarded-host": host, "x-forwarded-proto": "https" });
    const kept = headers("parla.example:8443");
    sanitizeForwardedHeaders(kept, 1);
    expect(kept["x-forwarded-host"]).toBe("parla.example:8443");
    for (const bad of ["a:b:c", "", "evil.example/path", "x y"]) {
      const sanitized: Record<string, string> = headers(bad);
      sanitizeForwardedHeaders(sanitized, 1);
      expect(sanitized["x-forwarded-host"]).toBeUndefined();
    }
    const untrusted: Record<string, string> = headers("parla.example");
    sanitizeForwardedHeaders(untrusted, 0);
    expect(untrusted["x-forwarded-host"]).toBeUndefined();
    const proto: Record<string, string> = { "x-forwarded-proto": "gopher" };
    sanitizeForwardedHeaders(proto, 1);
    expect(proto["x-forwarded-proto"]).toBeUndefined();
  });
});

describe("route handler patterns", () => {
  it("are read from app/ and match the paths their handlers serve", () => {
    const patterns = routeHandlerPatterns(path.resolve("app"));
    const served = (url: string) => patterns.some((pattern) => pattern.test(url));
    expect(served("/api/jobs")).toBe(true);
    expect(served("/api/jobs/123/share")).toBe(true);
    expect(served("/api/auth/callback/credentials")).toBe(true);
    expect(served("/api/share")).toBe(false);
    expect(served("/login")).toBe(false);
  });
});

describe("the web server's guards, on a real server", () => {
  let server: Server;
  let port = 0;
  const limits = { maxJsonBytes: 100, jsonTimeoutMs: 300, maxUploadBytes: 1000, uploadTimeoutMs: 300 };
  beforeAll(async () => {
    const handlers = routeHandlerPatterns(path.resolve("app"));
    server = createServer((request, response) => {
      if (!guardRequestLine(request, response, 0) || !guardRequestBody(request, response, limits)) return;
      void guardFormPost(request, response, handlers).then(async (accepted) => {
        if (!accepted) return;
        let bytes = 0;
        // A request the body guard cut off ends this read with an error; it was answered already.
        try {
          for await (const chunk of request) bytes += (chunk as Buffer).byteLength;
        } catch {
          return;
        }
        response.end(JSON.stringify({ bytes }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => server.close());

  const url = (pathname: string) => `http://127.0.0.1:${port}${pathname}`;

  it("answers 400 for an undecodable path and 413 for a declared body over the limit", async () => {
    expect((await fetch(url("/r/%E0%A4%A"))).status).toBe(400);
    const big = await fetch(url("/api/jobs/1/share"), { method: "POST", body: "x".repeat(101) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: "payload_too_large:body" } });
    expect(
      await (await fetch(url("/api/jobs/1/share"), { method: "POST", body: "x".repeat(100) })).json(),
    ).toEqual({
      bytes: 100,
    });
  });

  it("answers 408 when a body does not arrive by its deadline", async () => {
    const trickle = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        controller.enqueue(new Uint8Array([32]));
      },
    });
    const response = await fetch(url("/api/jobs/1/share"), {
      method: "POST",
      body: trickle,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(408);
  });

  it("reads a form posted to a page: a malformed one gets 400, a good one passes on whole", async () => {
    const headers = { "content-type": "multipart/form-data; boundary=zzz" };
    const broken = await fetch(url("/login"), { method: "POST", headers, body: "--yyy\r\nbroken" });
    expect(broken.status).toBe(400);
    const form = new FormData();
    form.set("email", "a@example.com");
    const good = await fetch(url("/login"), { method: "POST", body: form });
    expect(good.status).toBe(200);
    expect(((await good.json()) as { bytes: number }).bytes).toBeGreaterThan(10);
    // Route handlers parse their own bodies (uploads are larger than a form).
    expect((await fetch(url("/api/jobs"), { method: "POST", headers, body: "--yyy\r\nbroken" })).status).toBe(
      200,
    );
  });
});
