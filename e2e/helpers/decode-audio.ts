/** Decodes audio with Debian's ffmpeg/ffprobe, which share no code with Parla's encoders. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const dir = mkdtempSync(path.join(tmpdir(), "parla-e2e-audio-"));

export interface DecodedAudio {
  codec: string;
  sampleRate: number;
  /** Seconds decoded (not declared: streamed files declare no length). */
  seconds: number;
}

/** `raw` reads headerless s16le mono at that rate (the API's `pcm`). */
export function decodeAudio(bytes: Uint8Array, name: string, raw?: { rate: number }): DecodedAudio {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  const input = raw ? ["-f", "s16le", "-ar", String(raw.rate), "-ac", "1"] : [];
  const probe = execFileSync(
    "ffprobe",
    ["-v", "error", ...input, "-show_entries", "stream=codec_name,sample_rate", "-of", "csv=p=0", file],
    { encoding: "utf8" },
  )
    .trim()
    .split(",");
  const pcm = execFileSync(
    "ffmpeg",
    ["-v", "error", ...input, "-i", file, "-f", "s16le", "-ac", "1", "-ar", "8000", "-"],
    {
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  return { codec: probe[0] ?? "", sampleRate: Number(probe[1]), seconds: pcm.length / 2 / 8000 };
}
