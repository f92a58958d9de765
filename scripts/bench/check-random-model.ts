/**
 * Checks a folder that make-kokoro-random.py or make-piper-random.py wrote, through the engine
 * the app loads it with: the audio is finite, its length grows with the tokens and shrinks with
 * 1/speed (Piper's durations are sampled, so its ratios only come near 2 and 1/2).
 *   npx tsx scripts/bench/check-random-model.ts kokoro [data/bench-models/kokoro-82m-random]
 *   npx tsx scripts/bench/check-random-model.ts piper [data/bench-models/piper-medium-random]
 */
import path from "node:path";
import { piperFolderVoiceName } from "@/lib/node/speech-engines";
import { setIpaSource } from "@/lib/tts/phonemize";
import { KokoroEngine } from "@/server/engines/tts/kokoro-engine";
import { nativeEspeakIpa } from "@/server/engines/tts/native-espeak";
import { PiperEngine } from "@/server/engines/tts/piper-engine";
import type { TtsEngine } from "@/server/engines/tts/types";

const kind = process.argv[2] === "piper" ? "piper" : "kokoro";
const dir = path.resolve(
  process.argv[3] ??
    (kind === "piper" ? "data/bench-models/piper-medium-random" : "data/bench-models/kokoro-82m-random"),
);
const SENTENCE = "The quick brown fox jumps over the lazy dog.";

setIpaSource(nativeEspeakIpa);
const piperName = kind === "piper" ? await piperFolderVoiceName(dir) : undefined;
const engine = (kind === "kokoro"
  ? await KokoroEngine.create({ source: { kind: "folder", dir } })
  : await PiperEngine.create({
      source: { kind: "folder", dir, name: piperName ?? "model" },
    })) as unknown as TtsEngine;
const voice = kind === "kokoro" ? "af_heart" : (piperName ?? "model");
let failed = false;
const rows: { text: string; speed: number; tokens: number; samples: number }[] = [];
for (const [text, speed] of [
  [SENTENCE, 1],
  [`${SENTENCE} ${SENTENCE}`, 1],
  [SENTENCE, 2],
  [SENTENCE, 0.5],
] as const) {
  const options = { voice, speed };
  const prepared = await engine.prepare(text, options);
  const started = performance.now();
  const { samples } = await engine.infer(prepared, options);
  const ms = Math.round(performance.now() - started);
  const finite = samples.every(Number.isFinite);
  failed ||= !finite || samples.length === 0;
  rows.push({ text, speed, tokens: prepared.tokenCount, samples: samples.length });
  console.log(
    `${prepared.tokenCount} tokens, speed ${speed}: ${samples.length} samples (${(samples.length / engine.sampleRate).toFixed(2)} s audio, ` +
      `${(samples.length / engine.sampleRate / prepared.tokenCount).toFixed(3)} s per token), finite ${finite}, ${ms} ms`,
  );
}
await engine.dispose();
const [one, two, fast, slow] = rows.map((row) => row.samples);
if (!one || !two || !fast || !slow) throw new Error("missing runs");
// Durations are rounded per token, so the ratios are near, not exactly, 2 and 1/2.
const checks = {
  "twice the tokens: 1.6-2.4x the samples": two / one > 1.6 && two / one < 2.4,
  "speed 2: 0.3-0.7x the samples": fast / one > 0.3 && fast / one < 0.7,
  "speed 0.5: 1.6-2.4x the samples": slow / one > 1.6 && slow / one < 2.4,
};
for (const [name, ok] of Object.entries(checks)) {
  console.log(`${ok ? "ok  " : "FAIL"} ${name}`);
  failed ||= !ok;
}
process.exit(failed ? 1 : 0);
