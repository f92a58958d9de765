/** Test audio made on the spot with espeak-ng and sox, so no recording is checked in. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const folder = () => mkdtempSync(path.join(tmpdir(), "parla-audio-"));

/** Spoken phrases with a pause between each, as 48 kHz 16-bit mono WAV (Chromium's fake microphone reads it). */
export function spokenWav(phrases: readonly string[], pauseSeconds = 1): string {
  const dir = folder();
  const parts = phrases.map((phrase, index) => {
    const raw = path.join(dir, `raw-${index}.wav`);
    const padded = path.join(dir, `part-${index}.wav`);
    execFileSync("espeak-ng", ["-w", raw, phrase]);
    execFileSync("sox", [raw, "-r", "48000", "-b", "16", padded, "pad", "0", String(pauseSeconds)]);
    return padded;
  });
  const out = path.join(dir, "speech.wav");
  execFileSync("sox", [...parts, out]);
  return out;
}

/** A tone of the given length, to be refused for its duration alone. */
export function toneWav(seconds: number): string {
  const out = path.join(folder(), "tone.wav");
  execFileSync("sox", [
    "-n",
    "-r",
    "8000",
    "-b",
    "8",
    "-c",
    "1",
    out,
    "synth",
    String(seconds),
    "sine",
    "440",
  ]);
  return out;
}

/** A real FLAC header (magic and STREAMINFO) followed by noise: it sniffs as FLAC but cannot decode. */
export function undecodableFlac(): string {
  const dir = folder();
  const real = path.join(dir, "real.flac");
  execFileSync("sox", ["-n", "-r", "16000", "-c", "1", real, "synth", "2", "sine", "300"]);
  const header = readFileSync(real).subarray(0, 42);
  const noise = Buffer.alloc(32 * 1024);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + 13) % 251;
  const out = path.join(dir, "broken.flac");
  writeFileSync(out, Buffer.concat([header, noise]));
  return out;
}
