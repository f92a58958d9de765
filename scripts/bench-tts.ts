/**
 * `npm run bench:tts`: real-time factor and time to first audio per engine, for one sentence,
 * one paragraph and 5,000 characters, on the execution provider each engine lands on, along the
 * speech job's own path. Pipeline overhead is the wall time beyond the model's calls run alone
 * on the same inputs; each step (normalise + chunk, phonemize + tokenise, encode) is timed too.
 * Time to first audio is reported twice: for the synthesis loop alone, and for the streaming
 * path the speech API uses (queue → worker → chunk file → audio route → encoder: stream-latency.ts).
 * Writes bench-results/tts.json.
 *
 * The ONNX engines here run the random-weight FIXTURES (a toy network with Kokoro's signature; a
 * small random VITS in Piper's layout): they measure Parla's plumbing, NOT real model speed and
 * NOT audio quality. BENCH_KOKORO_DIRS / BENCH_PIPER_DIRS add folders with a full-size model of
 * the real architecture and random weights (scripts/bench/make-kokoro-random.py): model time is
 * then the real model's on this machine, so overhead / model means what the floor means;
 * their audio is still noise. Real weights: `npm run models -- kokoro-82m-v1.0`.
 * Also: BENCH_REPEAT=N (medians of N runs per input), BENCH_EXTRA_ONLY=1 (only those folders),
 * BENCH_TTS_OUT=file (another JSON path than bench-results/tts.json).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { LIMITS } from "@/lib/limits";
import { chunkText } from "@/lib/text/chunk";
import { normalizeText } from "@/lib/text/normalize";
import {
  espeakIpa,
  phonemizeForKokoro,
  phonemizeKeepingPunctuation,
  phonemizeManyForKokoro,
  setIpaSource,
} from "@/lib/tts/phonemize";
import { startMp3Thread } from "@/server/audio/mp3-thread";
import { routeToolsThrough } from "@/server/audio/run-tool";
import { startToolHost } from "@/server/audio/tool-host";
import { BasicEngine } from "@/server/engines/tts/basic-engine";
import { createFixtureStore, kokoroFixtureSource } from "@/server/engines/tts/fixture-store";
import { KokoroEngine } from "@/server/engines/tts/kokoro-engine";
import { nativeEspeakIpa } from "@/server/engines/tts/native-espeak";
import { PiperEngine } from "@/server/engines/tts/piper-engine";
import { groupChunks, synthesizeLong } from "@/server/engines/tts/synthesize-long";
import { type SynthesisOptions, synthesize, type TtsEngine } from "@/server/engines/tts/types";
import { warmUpWorkerPhonemizer, workerIpa } from "@/server/engines/tts/worker-phonemizer";
import { openResultEncoder } from "@/server/speech/result-encoder";
import { MODEL_MIRROR_DIR } from "@/test/mirror";
import { extraTtsModels } from "./bench/extra-tts-models";
import { median } from "./bench/median";
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
  /** The model's calls inside the job path (slowed by whatever ran beside them). */
  modelMs: number;
  /** The same model calls on the same inputs alone, back to back: no pipeline can beat it. */
  modelAloneMs: number;
  /** CPU time of each pipeline step; phonemizing mostly runs beside the model (waited: what it did not). */
  overheadMs: {
    normalizeChunk: number;
    phonemizeTokenize: number;
    phonemizeWaited: number;
    encodeMp3: number;
    total: number;
  };
  /** (wall − model alone) / model alone: what the pipeline adds to the time a person waits. */
  overheadToModel: number;
  /** The steps' CPU time / model alone: what they would add with no core to spare. */
  sequentialOverheadToModel: number;
  chunks: number;
  /** Speaking rate: words of the normalised text per minute of audio. */
  wordsPerMinute: number;
  /** Silence a player starting at first audio would hit, waiting for later chunks (ms). */
  stallMs: number;
  /** Runs folded into this one (BENCH_REPEAT): every timing is their median. */
  repeats: number;
}

/**
 * Repeated runs of one input as one: the median of each timing and of the ratios. Other agents'
 * work on the shared cores hits the short process starts (espeak-ng, ffmpeg) hardest.
 */
function medianRun(runs: readonly Run[]): Run {
  const first = runs[0];
  if (!first) throw new Error("no runs");
  const of = (pick: (run: Run) => number) => round(median(runs.map(pick)), 4);
  return {
    ...first,
    audioSeconds: of((run) => run.audioSeconds),
    wallMs: of((run) => run.wallMs),
    firstAudioMs: of((run) => run.firstAudioMs),
    rtf: of((run) => run.rtf),
    modelMs: of((run) => run.modelMs),
    modelAloneMs: of((run) => run.modelAloneMs),
    overheadMs: {
      normalizeChunk: of((run) => run.overheadMs.normalizeChunk),
      phonemizeTokenize: of((run) => run.overheadMs.phonemizeTokenize),
      phonemizeWaited: of((run) => run.overheadMs.phonemizeWaited),
      encodeMp3: of((run) => run.overheadMs.encodeMp3),
      total: of((run) => run.overheadMs.total),
    },
    overheadToModel: of((run) => run.overheadToModel),
    sequentialOverheadToModel: of((run) => run.sequentialOverheadToModel),
    stallMs: of((run) => run.stallMs),
    wordsPerMinute: of((run) => run.wordsPerMinute),
    repeats: runs.length,
  };
}

/** The model's calls alone on these chunks' inputs, prepared first, then back to back (ms). */
async function modelAloneMs(engine: TtsEngine, texts: readonly string[], options: SynthesisOptions) {
  const inputs = [];
  for (const text of texts) inputs.push(await engine.prepare(text, options));
  const started = performance.now();
  for (const input of inputs) await engine.infer(input, options);
  return performance.now() - started;
}

async function benchOne(engine: TtsEngine, voice: string, input: keyof typeof INPUTS): Promise<Run> {
  const text = INPUTS[input];
  const options = { voice, speed: 1 };
  // normalise + chunk once on its own, to report it apart (synthesizeLong repeats it: microseconds).
  const t0 = performance.now();
  chunkText(normalizeText(text), {
    firstChunkMaxChars: LIMITS.tts.FIRST_CHUNK_MAX_CHARS,
    growth: LIMITS.tts.CHUNK_GROWTH,
  });
  const normalizeChunk = performance.now() - t0;

  const started = performance.now();
  let firstAudioMs = -1;
  let modelMs = 0;
  let prepareMs = 0;
  let waitedMs = 0;
  const texts: string[] = [];
  // A player that starts with the first chunk: the time it would sit silent waiting for the next.
  let playEndMs = -1;
  let stallMs = 0;
  // The speech job's path (server/workers/speech-job.ts): the same first-chunk size and ramp,
  // later groups phonemized beside the model, MP3 chunk by chunk on its own thread while the
  // model makes the next chunk.
  const streamed = { ...options, firstChunkMaxChars: LIMITS.tts.FIRST_CHUNK_MAX_CHARS };
  const result = await openResultEncoder("mp3", engine.sampleRate);
  let encodeMp3 = 0;
  let sampleCount = 0;
  for await (const chunk of synthesizeLong(engine, text, streamed)) {
    const arrivedMs = performance.now() - started;
    if (firstAudioMs < 0 && chunk.audio.samples.length > 0) firstAudioMs = arrivedMs;
    if (chunk.audio.samples.length > 0) {
      if (playEndMs >= 0 && arrivedMs > playEndMs) stallMs += arrivedMs - playEndMs;
      playEndMs = Math.max(playEndMs, arrivedMs) + (chunk.audio.samples.length / engine.sampleRate) * 1000;
    }
    modelMs += chunk.timings.inferMs;
    prepareMs += chunk.timings.prepareMs;
    waitedMs += chunk.timings.waitedMs;
    if (chunk.text) texts.push(chunk.text);
    sampleCount += chunk.audio.samples.length;
    const e = performance.now();
    result.add(chunk.audio.samples);
    encodeMp3 += performance.now() - e;
  }
  const t1 = performance.now();
  await result.finish();
  encodeMp3 += performance.now() - t1;
  const wallMs = performance.now() - started;
  const alone = await modelAloneMs(engine, texts, options);
  const audioSeconds = sampleCount / engine.sampleRate;
  const overhead = normalizeChunk + prepareMs + encodeMp3;
  return {
    input,
    chars: text.length,
    audioSeconds: round(audioSeconds),
    wallMs: round(wallMs),
    firstAudioMs: round(firstAudioMs),
    rtf: round(wallMs / 1000 / audioSeconds, 4),
    modelMs: round(modelMs),
    modelAloneMs: round(alone),
    overheadMs: {
      normalizeChunk: round(normalizeChunk),
      phonemizeTokenize: round(prepareMs),
      phonemizeWaited: round(waitedMs),
      encodeMp3: round(encodeMp3),
      total: round(overhead),
    },
    overheadToModel: round((wallMs - alone) / Math.max(alone, 1e-3), 3),
    sequentialOverheadToModel: round(overhead / Math.max(alone, 1e-3), 3),
    chunks: texts.length,
    stallMs: round(stallMs),
    wordsPerMinute: round(normalizeText(text).split(/\s+/).filter(Boolean).length / (audioSeconds / 60)),
    repeats: 1,
  };
}

/**
 * The highest resident memory seen while `work` runs, sampled every 20 ms: the process's maxRSS
 * only ever grows, so it cannot tell one engine's peak from an earlier engine's.
 */
async function sampledPeakRssMb<T>(work: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakMb: round(peak / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}

function round(value: number, digits = 1): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

async function main() {
  // As a worker does before it loads a model: its tools start from a small host process.
  const toolHost = await startToolHost();
  routeToolsThrough(toolHost.run);
  startMp3Thread();
  const extra = await extraTtsModels();
  // BENCH_EXTRA_ONLY=1: only the extra folders (a quicker re-run); the fixtures are skipped.
  const extraOnly = process.env.BENCH_EXTRA_ONLY === "1" && extra.length > 0;
  // BENCH_REPEAT=N: each input N times, medians reported (default 1).
  const repeat = Math.max(1, Math.min(10, Number.parseInt(process.env.BENCH_REPEAT ?? "1", 10) || 1));
  const fixture = createFixtureStore(MODEL_MIRROR_DIR);
  const engines: {
    label: string;
    fixture: boolean;
    weights: "fixture" | "random, full-size architecture" | "real";
    voice: string;
    create: () => Promise<TtsEngine>;
  }[] = [
    // The full-size models first, so their memory is measured before anything else ran.
    ...extra.map((model) => ({
      label: model.label,
      fixture: false,
      weights: "random, full-size architecture" as const,
      voice: model.engine === "kokoro" ? "af_heart" : (model.piperName ?? ""),
      create: async () =>
        (model.engine === "kokoro"
          ? await KokoroEngine.create({ source: { kind: "folder", dir: model.dir } })
          : await PiperEngine.create({
              source: { kind: "folder", dir: model.dir, name: model.piperName ?? "" },
              // No noise: the same input gives the same length twice, so the run and the model
              // alone make the same audio (the noise is scaled, not skipped: same compute).
              inference: { noise_scale: 0, noise_w: 0 },
            })) as unknown as TtsEngine,
    })),
    {
      label: "kokoro (kokoro-signature-random fixture)",
      fixture: true,
      weights: "fixture",
      voice: "af_heart",
      create: async () =>
        (await KokoroEngine.create({ source: kokoroFixtureSource(fixture.store) })) as unknown as TtsEngine,
    },
    {
      label: "piper (piper-vits-random fixture)",
      fixture: true,
      weights: "fixture",
      voice: "piper-vits-random",
      create: async () =>
        (await PiperEngine.create({
          source: { kind: "store", store: fixture.store, modelId: "piper-vits-random" },
        })) as unknown as TtsEngine,
    },
    {
      label: "basic (espeak-ng)",
      fixture: false,
      weights: "real",
      voice: "basic_en_us",
      create: async () => new BasicEngine(),
    },
  ];

  console.log("TTS bench — the ONNX engines run random-weight FIXTURES: these numbers measure Parla's");
  console.log("plumbing (normalise, phonemize, tokenise, session calls, crossfade, encode), NOT real model");
  console.log("speed and NOT audio quality. The basic engine is the real espeak-ng. Engines marked");
  console.log(`"random weights, full-size architecture" run the real model's size and graph: real model`);
  console.log("time on this machine, noise for audio.\n");

  const t = performance.now();
  // As a worker does at its start: the in-process build loaded and run hot.
  await warmUpWorkerPhonemizer();
  const phonemizerStartMs = round(performance.now() - t);

  // The two phonemizers side by side on the same text; the runs below use the workers' choice
  // (in-process for short texts, native for long ones and batches: worker-phonemizer.ts).
  const phonemizers: Record<string, { wasmMs: number; nativeMs: number }> = {};
  for (const input of ["sentence", "paragraph", "5000_chars"] as const) {
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
  setIpaSource(workerIpa);

  // The pipeline's chunks of the long input phonemized one espeak-ng run per chunk (as before
  // grouping) and as synthesizeLong now does it (the first chunk alone, then groups).
  const longChunks = chunkText(normalizeText(LONG), {
    maxChars: LIMITS.tts.CHUNK_MAX_CHARS,
    firstChunkMaxChars: LIMITS.tts.FIRST_CHUNK_MAX_CHARS,
    growth: LIMITS.tts.CHUNK_GROWTH,
  });
  const c = performance.now();
  for (const chunk of longChunks) await phonemizeForKokoro(chunk, "en-us", nativeEspeakIpa);
  const perChunkMs = round(performance.now() - c);
  const g = performance.now();
  await phonemizeForKokoro(longChunks[0] ?? "", "en-us", workerIpa);
  for (const group of groupChunks(longChunks.slice(1), LIMITS.tts.PREPARE_BATCH_MAX_CHARS))
    await phonemizeManyForKokoro(group, "en-us", nativeEspeakIpa);
  const chunkPhonemizing = { chunks: longChunks.length, perChunkMs, groupedMs: round(performance.now() - g) };
  console.log(
    `phonemize 5000_chars in ${longChunks.length} chunks: one espeak-ng run per chunk ${perChunkMs} ms, ` +
      `grouped ${chunkPhonemizing.groupedMs} ms`,
  );

  const results = [];
  for (const spec of engines.filter(
    (each) => !extraOnly || each.weights === "random, full-size architecture",
  )) {
    const { value: engine, peakMb: loadedRssMb } = await sampledPeakRssMb(spec.create);
    // Warm-up: first session run, voice file load and a sentence's first run are not what a
    // server past its first requests pays (a new input length's first run is up to 10 % slower).
    await synthesize(engine, "Warm up.", { voice: spec.voice, speed: 1 });
    await synthesize(engine, SENTENCE, { voice: spec.voice, speed: 1 });
    const runs: Run[] = [];
    const { peakMb: enginePeakRssMb } = await sampledPeakRssMb(async () => {
      for (const input of Object.keys(INPUTS) as (keyof typeof INPUTS)[]) {
        const repeated: Run[] = [];
        for (let i = 0; i < repeat; i++) repeated.push(await benchOne(engine, spec.voice, input));
        const run = medianRun(repeated);
        runs.push(run);
        console.log(
          `${spec.label.padEnd(42)} ${input.padEnd(10)} audio ${String(run.audioSeconds).padStart(7)} s  ` +
            `first audio ${String(run.firstAudioMs).padStart(7)} ms  RTF ${String(run.rtf).padStart(7)}  ` +
            `model alone ${String(run.modelAloneMs).padStart(8)} ms (in the run ${run.modelMs})  wall ${String(run.wallMs).padStart(8)} ms  ` +
            `overhead/model ${run.overheadToModel}  steps' CPU ${run.overheadMs.total} ms ` +
            `(phonemize ${run.overheadMs.phonemizeTokenize}, waited ${run.overheadMs.phonemizeWaited}, encode ${run.overheadMs.encodeMp3}, ` +
            `normalise ${run.overheadMs.normalizeChunk}) = ${run.sequentialOverheadToModel} of model  stalls ${run.stallMs} ms  ${run.wordsPerMinute} wpm`,
        );
      }
    });
    console.log(
      `${spec.label}: resident memory ${loadedRssMb} MB after loading, peak ${enginePeakRssMb} MB in its runs`,
    );
    results.push({
      engine: spec.label,
      fixture: spec.fixture,
      weights: spec.weights,
      executionProvider: engine.executionProvider,
      sampleRate: engine.sampleRate,
      runs,
      peakRssMb: round(process.resourceUsage().maxRSS / 1024),
      loadedRssMb,
      enginePeakRssMb,
    });
    await engine.dispose();
  }

  console.log("\nStreaming path (job → queue → worker → chunk file → audio route → encoder), warm worker:");
  const streaming = await measureStreamLatency({
    modelsDir: fixture.store.modelsDir ?? "",
    cases: extraOnly
      ? []
      : [
          { model: "kokoro", voice: "af_heart", format: "pcm", input: "paragraph", text: PARAGRAPH },
          { model: "kokoro", voice: "af_heart", format: "mp3", input: "paragraph", text: PARAGRAPH },
          { model: "kokoro", voice: "af_heart", format: "mp3", input: "5000_chars", text: LONG },
          { model: "basic", voice: "basic_en_us", format: "mp3", input: "paragraph", text: PARAGRAPH },
          { model: "basic", voice: "basic_en_us", format: "mp3", input: "5000_chars", text: LONG },
        ],
  });
  // A full-size model through the same path: the paragraph in pcm (first audio is the first
  // chunk's model time plus the path; the whole paragraph is minutes of model time here).
  for (const model of extra.filter((entry) => entry.engine === "kokoro")) {
    const runs = await measureStreamLatency({
      modelsDir: fixture.store.modelsDir ?? "",
      kokoroModel: model.dir,
      cases: [{ model: "kokoro", voice: "af_heart", format: "pcm", input: "paragraph", text: PARAGRAPH }],
    });
    streaming.push(...runs.map((run) => ({ ...run, model: model.label })));
  }
  for (const run of streaming) {
    console.log(
      `${run.model.padEnd(8)} ${run.format.padEnd(4)} ${run.input.padEnd(10)} first audio ${String(run.firstAudioMs).padStart(6)} ms  ` +
        `all audio ${String(run.totalMs).padStart(7)} ms`,
    );
  }
  fixture.cleanup();

  const report = {
    note:
      "Fixture engines (fixture: true) are random-weight stand-ins: plumbing speed only, not real model speed or quality. " +
      "Engines with weights 'random, full-size architecture' have the real model's architecture and size with random weights: " +
      "their model time is the real model's on this machine; their audio is noise (no quality claims).",
    date: new Date().toISOString(),
    node: process.version,
    cpus: (await import("node:os")).cpus().length,
    extraOnly,
    repeat,
    phonemizerStartMs,
    phonemizers,
    chunkPhonemizing,
    definitions: {
      rtf: "wall time (synthesis + mp3 encode) / audio duration; < 1 is faster than real time",
      firstAudioMs:
        "from the call to the first chunk with samples (the synthesis loop alone); chunk budgets ramp from FIRST_CHUNK_MAX_CHARS by CHUNK_GROWTH",
      streaming:
        "the speech API's path, in-process backend with a warm worker: job request → first encoded bytes (firstAudioMs) and → last byte (totalMs)",
      overheadMs:
        "each pipeline step's own time: normalise+chunk, phonemize+tokenise (the workers' phonemizer: espeak-ng WASM in-process up to IN_PROCESS_PHONEMIZE_MAX_CHARS, native beyond and for batches; later groups while the model runs, phonemizeWaited = what synthesis waited for them), mp3 encode (LAME in WASM, chunk by chunk, beside the next chunk's model run)",
      modelMs:
        "the model's calls inside the job path (slowed by the pipeline's work beside them on shared cores)",
      modelAloneMs:
        "the same model calls on the same inputs, prepared first, then alone and back to back, after the run",
      overheadToModel:
        "(wall time - modelAloneMs) / modelAloneMs: what the whole pipeline adds to the model's own time (the issue's floor: under 0.05)",
      sequentialOverheadToModel:
        "overheadMs.total / modelAloneMs: what the steps would add if none of them ran beside the model (no spare core)",
      phonemizers: "the same normalised text phonemized by the WASM build and by Debian's espeak-ng",
      chunkPhonemizing:
        "the long input's chunks phonemized with native espeak-ng one run per chunk, and grouped as synthesizeLong does (first chunk alone, then up to PREPARE_BATCH_MAX_CHARS per run)",
      stallMs:
        "a player that starts at the first chunk and plays each chunk when it has arrived: total time it waits in silence for the next chunk (synthesis slower than playback)",
      repeats: "each input run this many times (BENCH_REPEAT); every timing and ratio is the median",
      peakRssMb: "process peak resident memory after that engine's runs (cumulative over the process)",
      loadedRssMb: "the process's resident memory, sampled, just after this engine was created",
      enginePeakRssMb:
        "the process's highest resident memory, sampled every 20 ms, during this engine's three runs (includes the whole process: Node, phonemizer, earlier engines' freed memory not yet returned)",
    },
    results,
    streaming,
  };
  const out = path.resolve(process.env.BENCH_TTS_OUT ?? path.join("bench-results", "tts.json"));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nphonemizer (espeak-ng WASM) start: ${phonemizerStartMs} ms; wrote ${out}`);
  toolHost.close();
}

await main();
