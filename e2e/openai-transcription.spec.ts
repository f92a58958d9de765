/**
 * The OpenAI-compatible audio routes, driven by the official `openai` npm client against the real
 * app (Next + backend + worker processes + the random-weight Whisper fixture). The fixture's text
 * is noise: these tests assert structure, timing and consistency between formats, never quality.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import OpenAI, { toFile } from "openai";
import { AUDIO_PROBLEM_TYPES } from "@/lib/audio/errors";
import { ERROR_STATUS } from "@/lib/errors";
import { type MadeSpeech, makeSilence, makeSpeech } from "@/server/audio/make-test-audio";
import {
  badInputCorpus,
  makeCorpusSources,
  REQUIRED_REASONS,
} from "@/server/audio/test-fixtures/bad-input-corpus";
import { temperatureSchedule } from "@/server/engines/stt/temperature-fallback";
import { expect, test } from "./fixtures";

const DATA_DIR = process.env.PARLA_E2E_DATA_DIR ?? "";

const execFileAsync = promisify(execFile);

// Asynchronous on purpose: a synchronous child process would freeze this process's event loop,
// so the HTTP client would miss the server closing an idle keep-alive socket and reuse it.
async function parla(...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync("npx", ["tsx", "scripts/parla.ts", ...args], {
    env: { ...process.env, DATA_DIR, LOG_LEVEL: "silent" },
    encoding: "utf8",
  });
  return stdout;
}

/** A fresh account and one API key per scope set, made with the operator CLI. */
async function keysFor(...scopeSets: string[]): Promise<string[]> {
  const email = `e2e-openai-${randomUUID()}@example.com`;
  await parla("user:create", "--email", email, "--password", "a long e2e password");
  const keys: string[] = [];
  for (const scopes of scopeSets) {
    const output = await parla("key:create", "--email", email, "--scopes", scopes);
    keys.push(output.split("\n").find((line) => line.startsWith("parla_")) ?? "");
  }
  return keys;
}

/** Job folders that still hold a scratch folder: each must be gone once its job ended. */
function leftoverScratch(): string[] {
  const jobs = path.join(DATA_DIR, "jobs");
  if (!existsSync(jobs)) return [];
  return readdirSync(jobs).filter((id) => existsSync(path.join(jobs, id, "scratch")));
}

let dir: string;
let speech: MadeSpeech;

test.beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "parla-e2e-openai-"));
  speech = await makeSpeech(dir, "speech.wav", [
    { say: "Parla turns speech into text." },
    { silence: 0.6 },
    { say: "Every format tells the same story." },
  ]);
});

test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Each test has its own account: the per-person `transcription` policy allows 10 a minute.
function client(baseURL: string | undefined, apiKey: string) {
  return new OpenAI({ apiKey, baseURL: `${baseURL}/v1`, maxRetries: 0, timeout: 180_000 });
}

const speechFile = async () => toFile(await readFile(speech.path), "speech.wav", { type: "audio/wav" });

/** SRT or VTT cues as [start, end, text]. */
function cues(body: string): [string, string, string][] {
  return [...body.matchAll(/(\d\d:\d\d:\d\d[.,]\d{3}) --> (\d\d:\d\d:\d\d[.,]\d{3})\n([^\n]*)/g)].map(
    (match) => [match[1] ?? "", match[2] ?? "", match[3] ?? ""],
  );
}

const clock = (seconds: number, separator: string) => {
  const ms = Math.round(seconds * 1000);
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
};

test("every response format tells the same story, in OpenAI's shapes", async ({ baseURL }) => {
  test.setTimeout(240_000);
  const openai = client(baseURL, (await keysFor("transcription"))[0] ?? "");
  // temperature 1 is the top of the fallback schedule: one sampled pass per window, seeded.
  const common = { model: "whisper-1", language: "en", temperature: 1 } as const;

  const { data: verbose, response } = await openai.audio.transcriptions
    .create({
      ...common,
      file: await speechFile(),
      response_format: "verbose_json",
      timestamp_granularities: ["segment", "word"],
    })
    .withResponse();
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.headers.get("x-parla-job-id")).toMatch(/^[0-9a-f-]{36}$/);
  // The fixture's decoder exports no cross-attentions: word times are estimated, and say so.
  expect(response.headers.get("x-parla-word-timestamps")).toBe("estimated");
  expect(verbose).toMatchObject({ task: "transcribe", language: "english" });
  expect(Math.abs(verbose.duration - speech.seconds)).toBeLessThan(0.1);
  const segments = verbose.segments ?? [];
  expect(segments.length).toBeGreaterThan(0);
  let previous = 0;
  for (const [index, segment] of segments.entries()) {
    expect(segment.id).toBe(index);
    expect(segment.start).toBeGreaterThanOrEqual(previous);
    expect(segment.end).toBeGreaterThanOrEqual(segment.start);
    expect(segment.end).toBeLessThanOrEqual(verbose.duration);
    expect(segment.temperature).toBe(1);
    expect(segment.tokens.length).toBeGreaterThan(0);
    expect(segment.no_speech_prob).toBeGreaterThanOrEqual(0);
    expect(segment.no_speech_prob).toBeLessThanOrEqual(1);
    for (const field of ["avg_logprob", "compression_ratio", "seek"] as const) {
      expect(typeof segment[field]).toBe("number");
    }
    previous = segment.start;
  }
  expect(verbose.text).toBe(
    segments
      .map((segment) => segment.text)
      .join("")
      .trim(),
  );
  const words = verbose.words ?? [];
  expect(words.length).toBeGreaterThan(0);
  for (const word of words) {
    expect(segments.some((s) => word.start >= s.start && word.end <= s.end + 0.001)).toBe(true);
  }
  const squash = (text: string) => text.replace(/\s+/g, "");
  expect(squash(words.map((word) => word.word).join(""))).toBe(squash(verbose.text));

  // The same file and settings give the same transcript in every other format.
  const json = await openai.audio.transcriptions.create({ ...common, file: await speechFile() });
  expect(json).toEqual({ text: verbose.text });
  const text = await openai.audio.transcriptions.create({
    ...common,
    file: await speechFile(),
    response_format: "text",
  });
  expect(String(text).trim()).toBe(verbose.text);
  const srt = String(
    await openai.audio.transcriptions.create({ ...common, file: await speechFile(), response_format: "srt" }),
  );
  const vtt = String(
    await openai.audio.transcriptions.create({ ...common, file: await speechFile(), response_format: "vtt" }),
  );
  expect(vtt.startsWith("WEBVTT\n\n")).toBe(true);
  // A cue is one line: line breaks in (noise) text become spaces, and "-->" cannot appear.
  const cueText = (text: string) =>
    text
      .replace(/\s*[\r\n]+\s*/g, " ")
      .trim()
      .replaceAll("-->", "->");
  const spoken = segments.filter((segment) => cueText(segment.text));
  expect(cues(srt)).toEqual(spoken.map((s) => [clock(s.start, ","), clock(s.end, ","), cueText(s.text)]));
  expect(cues(vtt).map(([start, end]) => [start, end])).toEqual(
    spoken.map((s) => [clock(s.start, "."), clock(s.end, ".")]),
  );

  // Word granularity alone: words, and no segments (OpenAI's rule).
  const wordsOnly = await openai.audio.transcriptions.create({
    ...common,
    file: await speechFile(),
    response_format: "verbose_json",
    timestamp_granularities: ["word"],
  });
  expect(wordsOnly.segments).toBeUndefined();
  expect(wordsOnly.words).toEqual(words);
});

test("translations, public Whisper names, and the temperature fallback", async ({ baseURL }) => {
  test.setTimeout(240_000);
  const openai = client(baseURL, (await keysFor("transcription"))[0] ?? "");
  const translated = (await openai.audio.translations.create({
    file: await speechFile(),
    model: "whisper-large-v3",
    response_format: "verbose_json",
    temperature: 1,
  })) as unknown as OpenAI.Audio.TranslationVerbose & { task: string };
  expect(translated.task).toBe("translate");
  expect(translated.segments?.length).toBeGreaterThan(0);
  const plain = await openai.audio.translations.create({
    file: await speechFile(),
    model: "whisper-1",
    temperature: 1,
  });
  expect(typeof plain.text).toBe("string");

  // temperature 0 (the default) falls back like openai/whisper: random weights make every
  // decode doubtful, so each window is decoded again at rising temperatures.
  const fallback = await openai.audio.transcriptions.create({
    file: await speechFile(),
    model: "openai/whisper-tiny",
    language: "en",
    response_format: "verbose_json",
  });
  const schedule = temperatureSchedule(0);
  for (const segment of fallback.segments ?? []) expect(schedule).toContain(segment.temperature);
  expect((fallback.segments ?? []).some((segment) => segment.temperature > 0)).toBe(true);
});

test("refusals: no key 401, a key without the scope 403, bad fields 400 naming them", async ({ baseURL }) => {
  const [key = "", resultsOnlyKey = ""] = await keysFor("transcription", "results");
  const anonymous = await fetch(`${baseURL}/v1/audio/transcriptions`, { method: "POST" });
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
  await expect(
    client(baseURL, "parla_nothing_here").audio.transcriptions.create({
      file: await speechFile(),
      model: "whisper-1",
    }),
  ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  const forbidden = await client(baseURL, resultsOnlyKey)
    .audio.translations.create({ file: await speechFile(), model: "whisper-1" })
    .catch((error: unknown) => error);
  expect(forbidden).toBeInstanceOf(OpenAI.PermissionDeniedError);
  expect((forbidden as InstanceType<typeof OpenAI.APIError>).status).toBe(403);

  const openai = client(baseURL, key);
  const refusal = async (body: OpenAI.Audio.TranscriptionCreateParamsNonStreaming) => {
    const error = await openai.audio.transcriptions.create(body).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    return (error as InstanceType<typeof OpenAI.APIError>).error as {
      code: string;
      issues?: { path: string }[];
    };
  };
  const model = await refusal({ file: await speechFile(), model: "gpt-4o-mini-tts" });
  expect(model.issues?.map((issue) => issue.path)).toEqual(["model"]);
  const granularity = await refusal({
    file: await speechFile(),
    model: "whisper-1",
    response_format: "json",
    timestamp_granularities: ["word"],
  });
  expect(granularity.issues?.map((issue) => issue.path)).toEqual(["timestamp_granularities"]);
  const format = await refusal({
    file: await speechFile(),
    model: "whisper-1",
    // Not one of Whisper's formats (OpenAI's diarizing model has it).
    response_format: "diarized_json" as "json",
  });
  expect(format.issues?.map((issue) => issue.path)).toEqual(["response_format"]);
});

test("the bad-input corpus through the real upload path: each its own 4xx, no temp file left", async ({
  baseURL,
}) => {
  test.setTimeout(300_000);
  const key = (await keysFor("transcription"))[0] ?? "";
  const corpusDir = await mkdtemp(path.join(dir, "corpus-"));
  const corpus = badInputCorpus(await makeCorpusSources(corpusDir), corpusDir);
  expect(new Set(corpus.map((entry) => entry.reason))).toEqual(new Set(REQUIRED_REASONS));
  const outcomes: string[] = [];
  for (const [index, entry] of corpus.entries()) {
    const form = new FormData();
    form.append("file", new Blob([Buffer.from(await entry.make())]), "upload.bin");
    form.append("model", "whisper-1");
    // Both routes share the upload path; alternating keeps each under its per-minute policy.
    const route = index % 2 === 0 ? "transcriptions" : "translations";
    const response = await fetch(`${baseURL}/v1/audio/${route}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    const body = (await response.json()) as { error?: { code: string; message: string } };
    outcomes.push(`${entry.name}: ${response.status} ${body.error?.code} ${body.error?.message}`);
    expect(response.status, entry.name).toBe(ERROR_STATUS[AUDIO_PROBLEM_TYPES[entry.reason]]);
    expect(body.error?.code, entry.name).toMatch(new RegExp(`:audio\\.${entry.reason}$`));
    expect(body.error?.message, entry.name).toContain(entry.phrase);
    expect(leftoverScratch(), entry.name).toEqual([]);
  }
  test.info().annotations.push({ type: "corpus", description: outcomes.join("\n") });

  // Silence is not an error: an empty transcript.
  const silence = await makeSilence(corpusDir, "silence.wav", 3);
  const empty = await client(baseURL, key).audio.transcriptions.create({
    file: await toFile(await readFile(silence), "silence.wav"),
    model: "whisper-1",
    response_format: "verbose_json",
  });
  expect(empty.text).toBe("");
  expect(empty.segments).toEqual([]);
  expect(empty.duration).toBeCloseTo(3, 1);
  expect(leftoverScratch()).toEqual([]);
});

test("a client that hangs up cancels its job", async ({ baseURL, playwright }) => {
  test.setTimeout(120_000);
  const api = await playwright.request.newContext({ baseURL });
  const headers = { authorization: `Bearer ${(await keysFor("transcription,results"))[0] ?? ""}` };
  const before = new Set(
    ((await (await api.get("/api/jobs", { headers })).json()) as { jobs: { id: string }[] }).jobs.map(
      (j) => j.id,
    ),
  );
  const controller = new AbortController();
  const form = new FormData();
  form.append("file", new Blob([await readFile(speech.path)]), "speech.wav");
  form.append("model", "whisper-1");
  const pending = fetch(`${baseURL}/v1/audio/transcriptions`, {
    method: "POST",
    headers,
    body: form,
    signal: controller.signal,
  }).catch((error: unknown) => error);
  const newJob = async () =>
    (
      (await (await api.get("/api/jobs", { headers })).json()) as { jobs: { id: string; status: string }[] }
    ).jobs.find((job) => !before.has(job.id));
  await expect.poll(async () => (await newJob())?.status, { timeout: 30_000 }).toMatch(/queued|running/);
  controller.abort();
  expect(await pending).toBeInstanceOf(Error);
  await expect.poll(async () => (await newJob())?.status, { timeout: 30_000 }).toBe("canceled");
  await api.dispose();
});
