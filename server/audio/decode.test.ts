/**
 * The bad-input corpus, made at test time: every hostile or broken file gets its own typed 4xx
 * refusal (never a 500 or a hang), silence decodes fine, and no temp file is left behind.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AudioInputError } from "@/lib/audio/errors";
import { type AudioLimits, audioLimitsFor } from "@/lib/audio/limits";
import { LIMITS } from "@/lib/limits";
import { type DecodeOptions, decodeAudio } from "@/server/audio/decode";
import {
  badInputCorpus,
  type CorpusSources,
  makeCorpusSources,
  REQUIRED_REASONS,
} from "@/server/audio/test-fixtures/bad-input-corpus";

/** Case names, known before the files exist (it.each needs them at collection time). */
const CORPUS_NAMES = badInputCorpus({}, "").map((entry) => entry.name);

let dir: string;
let tempRoot: string;
let files: CorpusSources = {};
const free = audioLimitsFor("free");

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "parla-corpus-"));
  tempRoot = await mkdtemp(path.join(tmpdir(), "parla-decode-root-"));
  files = await makeCorpusSources(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(tempRoot, { recursive: true, force: true });
});

afterEach(async () => {
  // Whatever happened, the per-job temp dir is gone.
  expect(await readdir(tempRoot)).toEqual([]);
});

const bytes = async (name: string) => new Uint8Array(await readFile(files[name] ?? ""));

const options = (limits: AudioLimits = free, extra: Partial<DecodeOptions> = {}): DecodeOptions => ({
  limits,
  tempRoot,
  ...extra,
});

describe("decodeAudio on good files", () => {
  it.each([
    ["tone", 4],
    ["mp3", 4],
    ["m4a", 4],
    ["opus", 4],
    ["webm", 4],
    ["flac", 4],
    ["mp4", 2],
    ["mov", 2],
  ])("decodes %s to 16 kHz mono float32", async (name, seconds) => {
    const decoded = await decodeAudio(await bytes(name), options());
    expect(decoded.sampleRate).toBe(16_000);
    expect(decoded.durationSeconds).toBeGreaterThan(seconds - 0.1);
    // AAC adds encoder priming, so compressed files may run a little long.
    expect(decoded.durationSeconds).toBeLessThan(seconds + 0.25);
    const peak = decoded.samples.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
    expect(peak).toBeGreaterThan(0.2);
    expect(peak).toBeLessThanOrEqual(1);
  });

  it("reads a file on disk in place and leaves it there", async () => {
    const decoded = await decodeAudio({ path: files.speech ?? "" }, options());
    expect(decoded.container.container).toBe("wav");
    expect(decoded.source).toMatchObject({ codec: "pcm_s16le", sampleRate: 16_000, channels: 1 });
    expect((await readFile(files.speech ?? "")).length).toBeGreaterThan(0);
  });

  it("decodes silence (it later gives an empty transcript, not an error)", async () => {
    const decoded = await decodeAudio(await bytes("silence"), options());
    expect(decoded.durationSeconds).toBeCloseTo(3, 2);
    expect(decoded.samples.every((value) => Math.abs(value) < 1e-4)).toBe(true);
  });
});

describe("the bad-input corpus", () => {
  it.each(CORPUS_NAMES)("%s → its own refusal", async (name) => {
    const entry = badInputCorpus(files, dir).find((candidate) => candidate.name === name);
    if (!entry) throw new Error(`no corpus case ${name}`);
    const { make, limits, reason, phrase } = entry;
    const input = await make();
    const error = await decodeAudio(input, options(limits)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AudioInputError);
    const refusal = error as AudioInputError;
    expect(refusal.reason).toBe(reason);
    expect(refusal.status).toBeGreaterThanOrEqual(400);
    expect(refusal.status).toBeLessThan(500);
    expect(refusal.message).toContain(phrase);
    // Messages never leak the temp path or ffmpeg's internals.
    expect(refusal.message).not.toContain(tempRoot);
    expect(refusal.message).not.toMatch(/@ 0x/);
  });

  it("covers every kind of bad input the issue names", () => {
    const reasons = new Set(badInputCorpus(files, dir).map((entry) => entry.reason));
    for (const reason of REQUIRED_REASONS) expect(reasons).toContain(reason);
  });

  it("stops a decoder that runs past its time limit", async () => {
    const error = await decodeAudio(await bytes("tone"), options(free, { timeoutMs: 1 })).catch(
      (e: unknown) => e,
    );
    expect((error as AudioInputError).reason).toBe("decode_timeout");
  });

  it("stops when the job is cancelled", async () => {
    const controller = new AbortController();
    const pending = decodeAudio(
      await bytes("long"),
      options(audioLimitsFor("pro"), { signal: controller.signal }),
    );
    controller.abort(new DOMException("cancelled", "AbortError"));
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  it("caps decoder output at the tier's seconds of samples", () => {
    expect(free.maxSeconds * LIMITS.stt.SAMPLE_RATE * 4).toBe(90 * 16_000 * 4);
  });
});
