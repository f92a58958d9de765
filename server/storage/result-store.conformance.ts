/**
 * The behaviour every ResultStore keeps, run against each implementation (result-store.test.ts):
 * local disk, and a real S3-compatible server. Each test gets a fresh store and a working
 * folder of real files to hand over.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ResultKey, ResultStore } from "./result-store";

export interface ResultStoreBackend {
  open(): Promise<ResultStore>;
  /** Removes what the store kept; it is closed by then. */
  reset(): Promise<void>;
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export function describeResultStoreConformance(name: string, backend: () => Promise<ResultStoreBackend>) {
  describe(`ResultStore conformance: ${name}`, () => {
    let store: ResultStore;
    let opened: ResultStoreBackend;
    let work: string;
    const key = (userId = randomUUID()): ResultKey => ({ userId, jobId: randomUUID() });

    /** A finished file in the working folder, as a worker leaves it. */
    function working(bytes: Buffer, fileName = `${randomUUID()}.bin`) {
      const file = path.join(work, fileName);
      writeFileSync(file, bytes);
      return file;
    }

    beforeEach(async () => {
      opened = await backend();
      store = await opened.open();
      work = mkdtempSync(path.join(tmpdir(), "parla-results-work-"));
    });
    afterEach(async () => {
      await store.close();
      await opened.reset();
      rmSync(work, { recursive: true, force: true });
    });

    it("takes a finished file from the working folder and streams back the same bytes", async () => {
      const k = key();
      // Large enough to be streamed in many chunks both ways, and not a multiple of any.
      const bytes = randomBytes(700_001);
      const source = working(bytes);
      await store.put(k, "speech.wav", { path: source, mime: "audio/wav" });
      expect(existsSync(source)).toBe(false);
      const stored = await store.get(k, "speech.wav");
      expect(stored?.bytes).toBe(bytes.byteLength);
      expect(stored?.size).toBe(bytes.byteLength);
      expect(stored?.range).toBeUndefined();
      expect((await readAll(stored?.body as ReadableStream<Uint8Array>)).equals(bytes)).toBe(true);
    });

    it("streams one range of a file, so a player can seek in it; a range past the end gets it all", async () => {
      const k = key();
      const bytes = randomBytes(300_007);
      await store.put(k, "speech.mp3", { path: working(bytes), mime: "audio/mpeg" });
      const middle = await store.get(k, "speech.mp3", { start: 100_000, end: 199_999 });
      expect(middle).toMatchObject({
        bytes: 100_000,
        size: bytes.byteLength,
        range: { start: 100_000, end: 199_999 },
      });
      const body = await readAll(middle?.body as ReadableStream<Uint8Array>);
      expect(body.equals(bytes.subarray(100_000, 200_000))).toBe(true);
      const tail = await store.get(k, "speech.mp3", { start: 300_000, end: 300_006 });
      expect((await readAll(tail?.body as ReadableStream<Uint8Array>)).equals(bytes.subarray(300_000))).toBe(
        true,
      );

      const past = await store.get(k, "speech.mp3", { start: 400_000, end: 499_999 });
      expect(past).toMatchObject({ bytes: bytes.byteLength, size: bytes.byteLength });
      expect(past?.range).toBeUndefined();
      expect((await readAll(past?.body as ReadableStream<Uint8Array>)).equals(bytes)).toBe(true);
    });

    it("keeps one file per name: a retried job saved twice has one result, the newest", async () => {
      const k = key();
      await store.put(k, "speech.mp3", { path: working(Buffer.from("first try")), mime: "audio/mpeg" });
      await store.put(k, "speech.mp3", { path: working(Buffer.from("second try")), mime: "audio/mpeg" });
      expect(await store.list(k)).toEqual(["speech.mp3"]);
      const stored = await store.get(k, "speech.mp3");
      expect((await readAll(stored?.body as ReadableStream<Uint8Array>)).toString()).toBe("second try");
    });

    it("answers undefined for a missing file, another job's file, or another person's", async () => {
      const k = key();
      await store.put(k, "transcript.txt", { path: working(Buffer.from("words")), mime: "text/plain" });
      expect(await store.get(k, "other.txt")).toBeUndefined();
      expect(await store.get({ userId: k.userId, jobId: randomUUID() }, "transcript.txt")).toBeUndefined();
      expect(await store.get({ userId: randomUUID(), jobId: k.jobId }, "transcript.txt")).toBeUndefined();
    });

    it("lists a job's files and a person's files, sorted", async () => {
      const userId = randomUUID();
      const [a, b] = [key(userId), key(userId)];
      for (const [k, fileName] of [
        [a, "transcript.vtt"],
        [a, "transcript.txt"],
        [b, "speech.ogg"],
      ] as const) {
        await store.put(k, fileName, { path: working(Buffer.from(fileName)), mime: "text/plain" });
      }
      expect(await store.list(a)).toEqual(["transcript.txt", "transcript.vtt"]);
      expect(await store.listUser(userId)).toEqual(
        [`${a.jobId}/transcript.txt`, `${a.jobId}/transcript.vtt`, `${b.jobId}/speech.ogg`].sort(),
      );
      expect(await store.list(key())).toEqual([]);
      expect(await store.listUser(randomUUID())).toEqual([]);
    });

    it("removes one job's files and nothing else; removing nothing is fine", async () => {
      const userId = randomUUID();
      const [doomed, kept] = [key(userId), key(userId)];
      await store.put(doomed, "speech.wav", { path: working(Buffer.from("a")), mime: "audio/wav" });
      await store.put(kept, "speech.wav", { path: working(Buffer.from("b")), mime: "audio/wav" });
      await store.removeJob(doomed);
      expect(await store.get(doomed, "speech.wav")).toBeUndefined();
      expect(await store.listUser(userId)).toEqual([`${kept.jobId}/speech.wav`]);
      await expect(store.removeJob(doomed)).resolves.toBeUndefined();
      await expect(store.removeJob(key())).resolves.toBeUndefined();
    });

    it("removes everything a person stored, leaving other people's results alone", async () => {
      const [mine, other] = [randomUUID(), randomUUID()];
      for (let i = 0; i < 3; i++) {
        await store.put(key(mine), `part-${i}.txt`, {
          path: working(Buffer.from(`${i}`)),
          mime: "text/plain",
        });
      }
      const theirs = key(other);
      await store.put(theirs, "speech.wav", { path: working(Buffer.from("theirs")), mime: "audio/wav" });
      expect(await store.listUser(mine)).toHaveLength(3);
      await store.removeUser(mine);
      expect(await store.listUser(mine)).toEqual([]);
      expect(await store.list(theirs)).toEqual(["speech.wav"]);
    });

    it("refuses keys that could leave their prefix", async () => {
      const source = working(Buffer.from("x"));
      const k = key();
      for (const attempt of [
        () => store.put({ ...k, jobId: "../escape" }, "a.txt", { path: source, mime: "text/plain" }),
        () => store.put(k, "../a.txt", { path: source, mime: "text/plain" }),
        () => store.get({ ...k, userId: "../../etc" }, "passwd"),
        () => store.removeUser("*"),
      ]) {
        await expect(attempt()).rejects.toThrow(/invalid/);
      }
      expect(existsSync(source)).toBe(true);
    });
  });
}
