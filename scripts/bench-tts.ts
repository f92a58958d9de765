/**
 * `npm run bench:tts`: real-time factor and time to first audio per engine, for one sentence,
 * one paragraph and 5,000 characters, on the execution provider each engine lands on. Pipeline
 * overhead (normalise + chunk, phonemize + tokenise, encode) is timed apart from model time.
 * Time to first audio is reported twice: for the synthesis loop alone, and for the streaming
 * path the speech API uses (queue → worker → chunk file → audio route → encoder: stream-latency.ts).
 * Writes bench-results/tts.json.
 *
 * The ONNX engines here run the random-weight FIXTURES (a toy network with Kokoro's signature; a
 * small random VITS in Piper's layout): they measure Parla's plumbing, NOT real model speed and
 * NOT audio quality. Real-model numbers need the real weights (`npm run models -- kokoro-82m-v1.0`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { LIMITS } from "@/lib/limits";
import { chunkText } from "@/lib/text/chunk";
import { normalizeText } from "@/lib/text/normalize";
import { espeakIpa, phonemizeKeepingPunctuation, setIpaSource, warmUpPhonemizer } from "@/lib/tts/phonemize";
import { encodeAudio } from "@/server/audio/encode";
import { BasicEngine } from "@/server/engines/tts/basic-engine";
import { createFixtureStore } from "@/server/engines/tts/fixture-store";
import { KokoroEngine } from "@/server/engines/tts/kokoro-engine";
import { nativeEspeakIpa } from "@/server/engines/tts/native-espeak";
import { PiperEngine } from "@/server/engines/tts/piper-engine";
import { synthesizeLong } from "@/server/engines/tts/synthesize-long";
import { synthesize, type TtsEngine } from "@/server/engines/tts/types";
import { MODEL_MIRROR_DIR } from "@/test/mirror";
import { measureStreamLatency } from "./bench/stream-latency";

const SENTENCE = "The quick brown fox jumps over the lazy dog near the riverbank.";
const PARAGRAPH =
  "On March 3, 2024, Dr. Alvarez presented the results to a packed hall. The new method cut costs by 35% " +
  "and saved roughly $1.2 million in its first year. Critics, however, pointed out that the sample was small; " +
  "only 48 sites took part, and most were in cities. She answered every question patiently, noting that a " +
  "second study, with 300 sites across 12 countries, would begin at 9:30 am the following Monday. By the end " +
  "of the session, even the skeptics agreed the approach deserved a closer look.";
const LONG = (() => {
  let text = "";
  while (text.length < 5_000) text += `${PARAGRAPH} `;
  return text.slice(0, 5_000);
})();
const INPUTS = { sentence: SENTENCE, paragraph: PARAGRAPH, "5000_chars": LONG } as const;

interface Run {
  input: keyof typeof INPUTS;
  chars: number;
  audioSeconds: number;
  wallMs: number;
  firstAudioMs: number;
  rtf: number;
  modelMs: number;
  overheadMs: { normalizeChunk: number; phonemizeTokenize: number; encodeMp3: number; total: number };
  overheadToModel: number;
  chunks: number;
}

async function benchOne(engine: TtsEngine, voice: string, input: keyof typeof INPUTS): Promise<Run> {
  const text = INPUTS[input];
  const options = { voice, speed: 1 };
  // normalise + chunk once on its own, to report it apart (synthesizeLong repeats it: microseconds).
  const t0 = performance.now();
  chunkText(normalizeText(text), { firstChunkMaxChars: LIMITS.tts.FIRST_CHUNK_MAX_CHARS });
  const normalizeChunk = performance.now() - t0;

  const started = performance.now();
  let firstAudioMs = -1;
  let modelMs = 0;
  let prepareMs = 0;
  let chunks = 0;
  const parts: Float32Array[] = [];
  // The same first-chunk size as speech jobs, so first audio here is what a job's stream pays.
  const streamed = { ...options, firstChunkMaxChars: LIMITS.tts.FIRST_CHUNK_MAX_CHARS };
  for await (const chunk of synthesizeLong(engine, text, streamed)) {
    if (firstAudioMs < 0 && chunk.audio.samples.length > 0) firstAudioMs = performance.now() - started;
    modelMs += chunk.timings.inferMs;
    prepareMs += chunk.timings.prepareMs;
    chunks++;
    parts.push(chunk.audio.samples);
  }
  const synthMs = performance.now() - started;
  const samples = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    samples.set(part, at);
    at += part.length;
  }
  const t1 = performance.now();
  await encodeAudio({ samples, sampleRate: engine.sampleRate }, "mp3");
  const encodeMp3 = performance.now() - t1;
  const wallMs = synthMs + encodeMp3;
  const audioSeconds = samples.length / engine.sampleRate;
  const overhead = normalizeChunk + prepareMs + encodeMp3;
  return {
    input,
    chars: text.length,
    audioSeconds: round(audioSeconds),
    wallMs: round(wallMs),
    firstAudioMs: round(firstAudioMs),
    rtf: round(wallMs / 1000 / audioSeconds, 4),
    modelMs: round(modelMs),
    overheadMs: {
      normalizeChunk: round(normalizeChunk),
      phonemizeTokenize: round(prepareMs),
      encodeMp3: round(encodeMp3),
      total: round(overhead),
    },
    overheadToModel: round(overhead / Math.max(modelMs, 1e-3), 3),
    chunks,
  };
}

function round(value: number, digits = 1): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

async function main() {
  const fixture = createFixtureStore(MODEL_MIRROR_DIR);
  const engines: { label: string; fixture: boolean; voice: string; create: () => Promise<TtsEngine> }[] = [
    {
      label: "kokoro (kokoro-signature-random fixture)",
      fixture: true,
      voice: "af_heart",
      create: async () =>
        (await KokoroEngine.create({
          source: {
            kind: "store",
            store: fixture.store,
            modelId: "kokoro-signature-random",
            voicesModelId: "kokoro-82m-v1.0-voices",
          },
        })) as unknown as TtsEngine,
    },
    {
      label: "piper (piper-vits-random fixture)",
      fixture: true,
      voice: "piper-vits-random",
      create: async () =>
        (await PiperEngine.create({
          source: { kind: "store", store: fixture.store, modelId: "piper-vits-random" },
        })) as unknown as TtsEngine,
    },
    {
      label: "basic (espeak-ng)",
      fixture: false,
      voice: "basic_en_us",
      create: async () => new BasicEngine(),
    },
  ];

  console.log("TTS bench — the ONNX engines run random-weight FIXTURES: these numbers measure Parla's");
  console.log("plumbing (normalise, phonemize, tokenise, session calls, crossfade, encode), NOT real model");
  console.log("speed and NOT audio quality. The basic engine is the real espeak-ng.\n");

  const t = performance.now();
  await warmUpPhonemizer();
  const phonemizerStartMs = round(performance.now() - t);

  // The two phonemizers side by side on the same text; the runs below use the workers' one (native).
  const phonemizers: Record<string, { wasmMs: number; nativeMs: number }> = {};
  for (const input of ["paragraph", "5000_chars"] as const) {
    const normalized = normalizeText(INPUTS[input]);
    const w = performance.now();
    await phonemizeKeepingPunctuation(normalized, "en-us", espeakIpa);
    const wasmMs = round(performance.now() - w);
    const n = performance.now();
    await phonemizeKeepingPunctuation(normalized, "en-us", nativeEspeakIpa);
    phonemizers[input] = { wasmMs, nativeMs: round(performance.now() - n) };
    console.log(
      `phonemize ${input}: WASM espeak-ng ${wasmMs} ms, native espeak-ng ${phonemizers[input].nativeMs} ms`,
    );
  }
  setIpaSource(nativeEspeakIpa);

  const results = [];
  for (const spec of engines) {
    const engine = await spec.create();
    // Warm-up: first session run and voice file load are not what a running server pays.
    await synthesize(engine, "Warm up.", { voice: spec.voice, speed: 1 });
    const runs: Run[] = [];
    for (const input of Object.keys(INPUTS) as (keyof typeof INPUTS)[]) {
      const run = await benchOne(engine, spec.voice, input);
      runs.push(run);
      console.log(
        `${spec.label.padEnd(42)} ${input.padEnd(10)} audio ${String(run.audioSeconds).padStart(7)} s  ` +
          `first audio ${String(run.firstAudioMs).padStart(7)} ms  RTF ${String(run.rtf).padStart(7)}  ` +
          `model ${String(run.modelMs).padStart(8)} ms  overhead ${String(run.overheadMs.total).padStart(8)} ms ` +
          `(phonemize ${run.overheadMs.phonemizeTokenize}, encode ${run.overheadMs.encodeMp3}, ` +
          `normalise ${run.overheadMs.normalizeChunk})  overhead/model ${run.overheadToModel}`,
      );
    }
    results.push({
      engine: spec.label,
      fixture: spec.fixture,
      executionProvider: engine.executionProvider,
      sampleRate: engine.sampleRate,
      runs,
      peakRssMb: round(process.resourceUsage().maxRSS / 1024),
    });
    await engine.dispose();
  }

  console.log("\nStreaming path (job → queue → worker → chunk file → audio route → encoder), warm worker:");
  const streaming = await measureStreamLatency({
    modelsDir: fixture.store.modelsDir ?? "",
    cases: [
      { model: "kokoro", voice: "af_heart", format: "pcm", input: "paragraph", text: PARAGRAPH },
      { model: "kokoro", voice: "af_heart", format: "mp3", input: "paragraph", text: PARAGRAPH },
      { model: "kokoro", voice: "af_heart", format: "mp3", input: "5000_chars", text: LONG },
      { model: "basic", voice: "basic_en_us", format: "mp3", input: "paragraph", text: PARAGRAPH },
      { model: "basic", voice: "basic_en_us", format: "mp3", input: "5000_chars", text: LONG },
    ],
  });
  for (const run of streaming) {
    console.log(
      `${run.model.padEnd(8)} ${run.format.padEnd(4)} ${run.input.padEnd(10)} first audio ${String(run.firstAudioMs).padStart(6)} ms  ` +
        `all audio ${String(run.totalMs).padStart(7)} ms`,
    );
  }
  fixture.cleanup();

  const report = {
    note: "Fixture engines (fixture: true) are random-weight stand-ins: plumbing speed only, not real model speed or quality.",
    date: new Date().toISOString(),
    node: process.version,
    cpus: (await import("node:os")).cpus().length,
    phonemizerStartMs,
    phonemizers,
    definitions: {
      rtf: "wall time (synthesis + mp3 encode) / audio duration; < 1 is faster than real time",
      firstAudioMs: "from the call to the first chunk with samples (the synthesis loop alone)",
      streaming:
        "the speech API's path, in-process backend with a warm worker: job request → first encoded bytes (firstAudioMs) and → last byte (totalMs)",
      overheadMs:
        "normalise+chunk, phonemize+tokenise (native espeak-ng, as the workers run it), mp3 encode (ffmpeg); model time apart",
      phonemizers: "the same normalised text phonemized by the WASM build and by Debian's espeak-ng",
      peakRssMb: "process peak resident memory after that engine's runs (cumulative over the process)",
    },
    results,
    streaming,
  };
  const out = path.resolve("bench-results", "tts.json");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nphonemizer (espeak-ng WASM) start: ${phonemizerStartMs} ms; wrote ${out}`);
}

await main();
