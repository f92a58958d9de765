import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError } from "@/lib/errors";
import { readBytes, readJson } from "./read-body";

/** A body stream that hands out `chunk` every `everyMs`, `times` times (forever when omitted). */
function trickle(chunk: Uint8Array, everyMs: number, times = Number.POSITIVE_INFINITY) {
  let sent = 0;
  let pulled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        pulled = true;
        if (sent >= times) return controller.close();
        await new Promise((resolve) => setTimeout(resolve, everyMs));
        sent++;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, wasPulled: () => pulled };
}

const post = (body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}) =>
  new Request("http://localhost/api/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe("readBytes", () => {
  it("refuses a declared Content-Length over the limit before reading a byte", async () => {
    const body = trickle(new Uint8Array(10), 1, 100);
    const error = await refusal(readBytes(post(body.stream, { "content-length": "1000" }), 100));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 413, code: "payload_too_large:body" });
    expect(body.wasPulled()).toBe(false);
  });

  it("counts the bytes that arrive: a small Content-Length lie or a chunked body cannot pass the limit", async () => {
    const lying = post(trickle(new Uint8Array(10), 1, 20).stream, { "content-length": "5" });
    expect(await refusal(readBytes(lying, 100))).toMatchObject({ status: 413 });
    const chunked = post(trickle(new Uint8Array(10), 1, 20).stream, {
      "content-length": "5",
      "transfer-encoding": "chunked",
    });
    expect(await refusal(readBytes(chunked, 100))).toMatchObject({ status: 413 });
    const fits = await readBytes(post(trickle(new Uint8Array(10), 1, 10).stream), 100);
    expect(fits.byteLength).toBe(100);
  });

  it("cuts off a client that trickles its body with a 408, however steadily it sends", async () => {
    const started = performance.now();
    const error = await refusal(
      readBytes(post(trickle(new Uint8Array(1), 20).stream), 1_000_000, { timeoutMs: 300 }),
    );
    expect(error).toMatchObject({ status: 408, code: "request_timeout:body" });
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});

describe("readJson", () => {
  const schema = z.object({ name: z.string() });

  it("names the problem: media type, syntax, field", async () => {
    expect(await refusal(readJson(post("{}", { "content-type": "text/plain" }), schema, 100))).toMatchObject({
      status: 415,
    });
    const json = { "content-type": "application/json" };
    expect(await refusal(readJson(post("{nope", json), schema, 100))).toMatchObject({ status: 400 });
    const invalid = await refusal(readJson(post('{"name":1}', json), schema, 100));
    expect(invalid).toMatchObject({ status: 400, issues: [{ path: "name" }] });
    await expect(readJson(post('{"name":"a"}', json), schema, 100)).resolves.toEqual({ name: "a" });
  });
});
