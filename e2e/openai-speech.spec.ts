/**
 * POST /v1/audio/speech driven by the official `openai` npm client against the running app
 * (web + backend + worker processes, with the random-weight Kokoro fixture: the audio is
 * noise, the plumbing is real). Every format decodes back; audio arrives before the job ends;
 * SSE has OpenAI's event shapes; bad fields, missing keys and missing scopes are refused.
 */
import OpenAI from "openai";
import { expect, test } from "./fixtures";
import { decodeAudio } from "./helpers/decode-audio";
import { accountWithKeys } from "./helpers/parla-cli";

const SHORT = "Hello there. This is Parla, speaking through the OpenAI client.";
const LONG = Array.from(
  { length: 30 },
  (_, i) => `Sentence ${i + 1} is spoken and sent while the sentences after it are still being made.`,
).join(" ");

/** What the rate should be once decoded: Kokoro is 24 kHz; Opus always decodes at 48 kHz. */
const EXPECTED = {
  mp3: { codec: "mp3", rate: 24_000 },
  opus: { codec: "opus", rate: 48_000 },
  aac: { codec: "aac", rate: 24_000 },
  flac: { codec: "flac", rate: 24_000 },
  wav: { codec: "pcm_s16le", rate: 24_000 },
  pcm: { codec: "pcm_s16le", rate: 24_000 },
} as const;

interface JobJson {
  status: string;
  finishedAt: string | null;
  engine: string | null;
  result: { durationSeconds?: number } | null;
}

let speechKey = "";
let readOnlyKey = "";
let secondKey = "";

test.beforeAll(() => {
  [speechKey = "", readOnlyKey = ""] = accountWithKeys("speech,results", "results");
  // A second person, so the many requests here stay inside one person's speech rate limit.
  [secondKey = ""] = accountWithKeys("speech,results");
});

function client(baseURL: string | undefined, apiKey: string): OpenAI {
  return new OpenAI({ apiKey, baseURL: `${baseURL}/v1`, maxRetries: 0 });
}

async function jobOf(baseURL: string | undefined, key: string, response: Response): Promise<JobJson> {
  const id = response.headers.get("x-parla-job-id");
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  const job = await fetch(`${baseURL}/api/jobs/${id}`, { headers: { authorization: `Bearer ${key}` } });
  return (await job.json()) as JobJson;
}

test("every response_format decodes back at the right rate and length", async ({ baseURL }) => {
  const openai = client(baseURL, speechKey);
  for (const format of Object.keys(EXPECTED) as (keyof typeof EXPECTED)[]) {
    const response = await openai.audio.speech.create({
      model: "kokoro",
      voice: "af_heart",
      input: SHORT,
      response_format: format,
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const decoded = decodeAudio(bytes, `speech.${format}`, format === "pcm" ? { rate: 24_000 } : undefined);
    expect(decoded.codec, format).toBe(EXPECTED[format].codec);
    expect(decoded.sampleRate, format).toBe(EXPECTED[format].rate);
    const job = await jobOf(baseURL, speechKey, response);
    expect(job.status).toBe("succeeded");
    expect(job.engine).toMatch(/^kokoro \(/);
    // The streamed audio is the job's audio: same length, give or take encoder padding.
    const seconds = job.result?.durationSeconds ?? 0;
    expect(seconds).toBeGreaterThan(0.5);
    expect(Math.abs(decoded.seconds - seconds), format).toBeLessThan(0.1);
  }
});

test("audio streams: the first bytes arrive before the job has finished", async ({ baseURL }) => {
  const response = await client(baseURL, secondKey).audio.speech.create({
    model: "gpt-4o-mini-tts",
    voice: "nova",
    input: LONG,
    response_format: "pcm",
    // Accepted and ignored: no engine here takes spoken instructions.
    instructions: "Speak like a lighthouse keeper.",
  });
  const reader = response.body?.getReader();
  if (!reader) throw new Error("no body");
  let firstAt = 0;
  let bytes = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    firstAt ||= Date.now();
    bytes += read.value.byteLength;
  }
  const job = await jobOf(baseURL, secondKey, response);
  expect(job.status).toBe("succeeded");
  const finishedAt = Date.parse(job.finishedAt ?? "");
  test.info().annotations.push({
    type: "streaming",
    description: `first audio ${finishedAt - firstAt} ms before the job finished`,
  });
  expect(firstAt).toBeLessThan(finishedAt);
  expect(bytes / 2 / 24_000).toBeCloseTo(job.result?.durationSeconds ?? 0, 1);
});

test("stream_format sse sends OpenAI's delta and done events", async ({ baseURL }) => {
  const response = await client(baseURL, speechKey).audio.speech.create({
    model: "tts-1",
    voice: "alloy",
    input: SHORT,
    response_format: "wav",
    stream_format: "sse",
  });
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const events = (await response.text())
    .split("\n\n")
    .filter((block) => block.trim())
    .map((block) => ({
      event: /^event: (.*)$/m.exec(block)?.[1],
      data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "null") as Record<string, unknown>,
    }));
  const deltas = events.slice(0, -1);
  const done = events.at(-1);
  expect(deltas.length).toBeGreaterThan(0);
  for (const delta of deltas) {
    expect(delta.event).toBe("speech.audio.delta");
    expect(delta.data.type).toBe("speech.audio.delta");
    expect(delta.data.audio).toMatch(/^[A-Za-z0-9+/]+=*$/);
  }
  expect(done?.event).toBe("speech.audio.done");
  const usage = done?.data.usage as { input_tokens: number; output_tokens: number; total_tokens: number };
  expect(usage.input_tokens).toBe([...SHORT].length);
  expect(usage.output_tokens).toBeGreaterThan(0);
  expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
  const audio = Buffer.concat(deltas.map((delta) => Buffer.from(String(delta.data.audio), "base64")));
  const decoded = decodeAudio(audio, "sse.wav");
  expect(decoded.sampleRate).toBe(24_000);
  // output_tokens are 20 ms frames of the audio sent.
  expect(Math.abs(decoded.seconds * 50 - usage.output_tokens)).toBeLessThan(5);
});

test("a client that goes away cancels its job", async ({ baseURL }) => {
  const stop = new AbortController();
  const response = await fetch(`${baseURL}/v1/audio/speech`, {
    method: "POST",
    headers: { authorization: `Bearer ${secondKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "kokoro", voice: "af_bella", input: `${LONG} ${LONG} ${LONG}` }),
    signal: stop.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body?.getReader();
  expect((await reader?.read())?.done).toBe(false);
  stop.abort();
  await expect
    .poll(async () => (await jobOf(baseURL, secondKey, response)).status, { timeout: 20_000 })
    .toBe("canceled");
});

test("bad fields, no key and a key without the speech scope are refused in OpenAI's error shape", async ({
  baseURL,
}) => {
  const openai = client(baseURL, secondKey);
  const refusals: [string, Record<string, string>][] = [
    ["voice", { voice: "../../models/kokoro/voices/af_heart.bin" }],
    ["voice", { voice: "https://evil.example/voice.bin" }],
    ["model", { model: "/etc/passwd" }],
  ];
  for (const [param, bad] of refusals) {
    const error = await openai.audio.speech
      .create({ model: "tts-1", voice: "alloy", input: SHORT, ...bad })
      .catch((caught: unknown) => caught);
    expect(error, JSON.stringify(bad)).toBeInstanceOf(OpenAI.BadRequestError);
    const refused = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(refused.status).toBe(400);
    expect(refused.param).toBe(param);
    expect(refused.type).toBe("invalid_request_error");
    expect(refused.message).toContain(param);
  }

  const anonymous = await fetch(`${baseURL}/v1/audio/speech`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "tts-1", voice: "alloy", input: SHORT }),
  });
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get("www-authenticate")).toContain("Bearer");
  expect(((await anonymous.json()) as { error: { type: string } }).error.type).toBe("authentication_error");

  const forbidden = await client(baseURL, readOnlyKey)
    .audio.speech.create({ model: "tts-1", voice: "alloy", input: SHORT })
    .catch((caught: unknown) => caught);
  expect(forbidden).toBeInstanceOf(OpenAI.PermissionDeniedError);
});

test("the backend warmed its models at start and says which execution provider runs each", async ({
  request,
}) => {
  const health = (await (await request.get("/api/health")).json()) as {
    backend: { engines: { kind: string; engine: string; provider: string }[] };
  };
  const engines = health.backend.engines;
  // This machine has no GPU: the preference cuda → webgpu → cpu ends on the CPU.
  expect(engines).toContainEqual({ kind: "speech", engine: "kokoro", provider: expect.any(String) });
  expect(engines).toContainEqual({
    kind: "transcription",
    engine: "whisper-tiny-random",
    provider: expect.any(String),
  });
  for (const { provider } of engines) expect(["cuda", "webgpu", "cpu"]).toContain(provider);
  console.log(
    `backend execution providers: ${engines.map((e) => `${e.engine} on ${e.provider}`).join(", ")}`,
  );
});

test("the models and voices lists show what is installed", async ({ baseURL }) => {
  const openai = client(baseURL, readOnlyKey);
  const models = (await openai.models.list()).data.map((model) => model.id);
  expect(models).toEqual(
    expect.arrayContaining(["kokoro", "basic", "tts-1", "gpt-4o-mini-tts", "whisper-1"]),
  );
  // PIPER_VOICE is not set in this run.
  expect(models).not.toContain("piper");
  const voices = (await (
    await fetch(`${baseURL}/v1/audio/voices`, { headers: { authorization: `Bearer ${readOnlyKey}` } })
  ).json()) as { voices: string[] };
  expect(voices.voices).toEqual(expect.arrayContaining(["af_heart", "alloy", "basic_en_us"]));
  expect(voices.voices).not.toContain("piper-en-us-lessac-medium");
});
