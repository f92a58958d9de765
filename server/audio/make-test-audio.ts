/**
 * Test audio made at test time with Debian's espeak-ng, sox and ffmpeg, so no recording is
 * checked in and every boundary a test asserts is known from how the file was built.
 * Test-only (imported by *.test.ts and the bench script).
 */
import { execFile } from "node:child_process";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const RATE = 16_000;

/** sox without dither (-D), so a made file has the same bytes every run (damage tests rely on it). */
function sox(args: string[]) {
  return run("sox", ["-D", ...args]);
}

/** One piece of a made recording: a spoken phrase or a stretch of digital silence. */
export type Piece = { say: string } | { silence: number };

export interface MadeSpeech {
  path: string;
  seconds: number;
  /** Where each phrase's speech starts and ends, in seconds. */
  speech: { start: number; end: number }[];
}

async function seconds(file: string): Promise<number> {
  const { stdout } = await run("soxi", ["-D", file]);
  return Number(stdout.trim());
}

/** espeak-ng → 16 kHz mono s16 WAV with its own leading and trailing silence trimmed. */
async function phrase(dir: string, text: string, index: number): Promise<string> {
  const raw = path.join(dir, `phrase-${index}-raw.wav`);
  const out = path.join(dir, `phrase-${index}.wav`);
  await run("espeak-ng", ["-v", "en-us", "-s", "160", "-w", raw, text]);
  await sox([
    raw,
    "-r",
    String(RATE),
    "-c",
    "1",
    "-b",
    "16",
    out,
    "silence",
    "1",
    "0.01",
    "0.5%",
    "reverse",
    "silence",
    "1",
    "0.01",
    "0.5%",
    "reverse",
  ]);
  return out;
}

function silence(dir: string, secondsLong: number, index: number): Promise<string> {
  return makeSilence(dir, `silence-${index}.wav`, secondsLong);
}

/** Concatenates phrases and silences into `name` (16 kHz mono WAV) and reports the speech spans. */
export async function makeSpeech(dir: string, name: string, pieces: Piece[]): Promise<MadeSpeech> {
  const files: string[] = [];
  const speech: MadeSpeech["speech"] = [];
  let at = 0;
  for (const [index, piece] of pieces.entries()) {
    const file =
      "say" in piece ? await phrase(dir, piece.say, index) : await silence(dir, piece.silence, index);
    const length = await seconds(file);
    if ("say" in piece) speech.push({ start: at, end: at + length });
    at += length;
    files.push(file);
  }
  const out = path.join(dir, name);
  if (files.length === 1 && files[0]) await copyFile(files[0], out);
  else await sox([...files, out]);
  return { path: out, seconds: await seconds(out), speech };
}

/** Digital silence as a 16 kHz mono WAV. */
export async function makeSilence(dir: string, name: string, secondsLong: number): Promise<string> {
  const out = path.join(dir, name);
  await sox(["-n", "-r", String(RATE), "-c", "1", "-b", "16", out, "trim", "0", String(secondsLong)]);
  return out;
}

/** A sine tone through sox, at any rate and length (for long-file and sample-rate cases). */
export async function makeTone(dir: string, name: string, secondsLong: number, rate = RATE): Promise<string> {
  const out = path.join(dir, name);
  await sox([
    "-n",
    "-r",
    String(rate),
    "-c",
    "1",
    "-b",
    "16",
    out,
    "synth",
    String(secondsLong),
    "sine",
    "440",
    "vol",
    "0.3",
  ]);
  return out;
}

/** Re-encodes `input` with ffmpeg; `args` pick the codec and container (e.g. ["-c:a", "libopus"]). */
export async function encode(input: string, output: string, args: string[]): Promise<string> {
  // bitexact: no random container ids or version strings, so the same input makes the same
  // bytes every run and tests that damage fixed offsets damage the same thing each time.
  await run("ffmpeg", [
    "-nostdin",
    "-v",
    "error",
    "-y",
    "-i",
    input,
    ...args,
    "-fflags",
    "+bitexact",
    "-flags:a",
    "+bitexact",
    output,
  ]);
  return output;
}

/** A short video with a test pattern and `input` as its audio track. */
export async function makeVideo(input: string, output: string, withAudio = true): Promise<string> {
  const video = ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=2"];
  const audio = withAudio ? ["-i", input, "-c:a", "aac", "-shortest"] : ["-an"];
  await run("ffmpeg", ["-nostdin", "-v", "error", "-y", ...video, ...audio, "-c:v", "mpeg4", output]);
  return output;
}

/** Writes the first `fraction` of a file's bytes to `output` (a cut-off upload). */
export async function truncate(input: string, output: string, fraction: number): Promise<string> {
  const bytes = await readFile(input);
  await writeFile(output, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return output;
}
