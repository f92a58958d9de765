import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { playableRecording, REMUXED_RECORDING } from "@/server/audio/playable-recording";

const dir = mkdtempSync(path.join(tmpdir(), "parla-playable-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether the file holds a Cues element (EBML id 1C 53 BB 6B): the index seeking relies on. */
function hasCues(file: string): boolean {
  return readFileSync(file).includes(Buffer.from([0x1c, 0x53, 0xbb, 0x6b]));
}

function ffmpeg(...args: string[]) {
  execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...args]);
}

describe("playable recordings", () => {
  it("remuxes a cue-less WebM (as MediaRecorder writes) into one with cues, audio unchanged", async () => {
    const input = path.join(dir, "input.webm");
    ffmpeg("-f", "lavfi", "-i", "sine=f=440:d=3", "-c:a", "libopus", "-live", "1", "-f", "webm", input);
    const playable = await playableRecording(input, dir);
    expect(path.basename(playable)).toBe(REMUXED_RECORDING);
    const probe = (file: string) =>
      execFileSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", file], {
        encoding: "utf8",
      }).trim();
    expect(probe(playable)).toBe(probe(input));
    expect(hasCues(input)).toBe(false);
    expect(hasCues(playable)).toBe(true);
  });

  it("plays other containers as uploaded", async () => {
    const input = path.join(dir, "input.wav");
    ffmpeg("-f", "lavfi", "-i", "sine=f=440:d=1", input);
    expect(await playableRecording(input, dir)).toBe(input);
  });

  it("falls back to the upload when the WebM cannot be remuxed", async () => {
    const input = path.join(dir, "broken.webm");
    execFileSync("sh", ["-c", `printf 'not a webm' > "${input}"`]);
    expect(await playableRecording(input, path.join(dir, "sub-missing"))).toBe(input);
  });
});
