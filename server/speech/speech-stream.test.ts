/**
 * Following a speech job's chunk files on a real folder: chunks come out in order as they are
 * renamed into place, a wake-up is never lost, and the stream ends only once the job has ended
 * and every chunk it wrote has been read.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { JobStatus } from "@/lib/schemas/jobs";
import { changeWaiter, followSpeechStream, type SpeechStreamEvent } from "@/server/speech/speech-stream";
import { writeStreamChunk, writeStreamFormat } from "@/server/speech/stream-chunks";

const root = mkdtempSync(path.join(tmpdir(), "parla-speech-stream-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function freshDir(name: string): string {
  const dir = path.join(root, name);
  mkdirSync(dir);
  return dir;
}

/** A long poll, so only a wake-up can make these tests pass in time. */
const SLOW_POLL_MS = 60_000;

describe("followSpeechStream", () => {
  it("yields each chunk as it lands, then ends after the job's last chunk", async () => {
    const dir = freshDir("live");
    let status: JobStatus = "queued";
    const waiter = changeWaiter(SLOW_POLL_MS);
    const events: SpeechStreamEvent[] = [];
    const seen = (count: number) =>
      expect.poll(() => events.length, { timeout: 2_000, interval: 10 }).toBeGreaterThanOrEqual(count);
    const done = (async () => {
      for await (const event of followSpeechStream({
        dir,
        status: async () => status,
        waitForChange: waiter.wait,
      }))
        events.push(event);
    })();

    status = "running";
    await writeStreamFormat(dir, { sampleRate: 24_000 });
    await writeStreamChunk(dir, 1, Buffer.from([1, 0]));
    waiter.notify();
    await seen(2);
    expect(events).toEqual([
      { type: "format", format: { sampleRate: 24_000 } },
      { type: "chunk", index: 1, pcm: Buffer.from([1, 0]) },
    ]);

    // The last chunks and the end arrive together: nothing written before the end is dropped.
    await writeStreamChunk(dir, 2, Buffer.from([2, 0]));
    await writeStreamChunk(dir, 3, Buffer.from([3, 0]));
    status = "succeeded";
    waiter.notify();
    await done;
    expect(events.slice(2)).toEqual([
      { type: "chunk", index: 2, pcm: Buffer.from([2, 0]) },
      { type: "chunk", index: 3, pcm: Buffer.from([3, 0]) },
      { type: "end", status: "succeeded" },
    ]);
  });

  it("never reads a chunk out of order, nor a half-written one", async () => {
    const dir = freshDir("gap");
    await writeStreamFormat(dir, { sampleRate: 22_050 });
    await writeStreamChunk(dir, 2, Buffer.from([2, 0]));
    writeFileSync(path.join(dir, "000001.pcm.part"), Buffer.from([1]));
    const status = async (): Promise<JobStatus> => "failed";
    const events: SpeechStreamEvent[] = [];
    for await (const event of followSpeechStream({ dir, status, waitForChange: async () => undefined }))
      events.push(event);
    // Chunk 1 never came (and a .part file is not a chunk): nothing after it is sent.
    expect(events).toEqual([
      { type: "format", format: { sampleRate: 22_050 } },
      { type: "end", status: "failed" },
    ]);
  });

  it("ends with 'deleted' when the job disappears, and stops when aborted", async () => {
    const dir = freshDir("gone");
    const ended: SpeechStreamEvent[] = [];
    for await (const event of followSpeechStream({
      dir,
      status: async () => undefined,
      waitForChange: async () => undefined,
    }))
      ended.push(event);
    expect(ended).toEqual([{ type: "end", status: "deleted" }]);

    const stop = new AbortController();
    const waiter = changeWaiter(SLOW_POLL_MS);
    const following = followSpeechStream({
      dir,
      status: async () => "queued",
      waitForChange: waiter.wait,
      signal: stop.signal,
    });
    const next = following.next();
    stop.abort();
    waiter.notify();
    await expect(next).rejects.toThrow();
  });
});

describe("changeWaiter", () => {
  it("remembers a notice that came while nobody waited", async () => {
    const waiter = changeWaiter(SLOW_POLL_MS);
    waiter.notify();
    const started = performance.now();
    await waiter.wait();
    expect(performance.now() - started).toBeLessThan(50);
  });

  it("returns after the poll interval without any notice", async () => {
    const waiter = changeWaiter(30);
    const started = performance.now();
    await waiter.wait();
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
});
