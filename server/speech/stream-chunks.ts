/**
 * The handoff between a speech job's worker and anyone streaming its audio while it is made:
 * the worker writes `stream/format.json` once, then each synthesised chunk as
 * `stream/000001.pcm` (mono s16le), every file renamed into place whole, so a reader never sees
 * half a chunk. Readers tail the folder (speech-stream.ts); the folder goes with the job.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

export const STREAM_DIR = "stream";
const FORMAT_FILE = "format.json";

export const streamFormatSchema = z.object({
  sampleRate: z.number().int().min(8_000).max(192_000),
});
export type StreamFormat = z.infer<typeof streamFormatSchema>;

export function streamDir(jobDir: string): string {
  return path.join(jobDir, STREAM_DIR);
}

/** 1-based, six digits: 999,999 chunks is far past the longest text a tier allows. */
export function chunkFileName(index: number): string {
  return `${String(index).padStart(6, "0")}.pcm`;
}

async function writeWhole(file: string, bytes: Uint8Array | string): Promise<void> {
  const partial = `${file}.part`;
  await writeFile(partial, bytes, { mode: 0o600 });
  await rename(partial, file);
}

export function writeStreamFormat(dir: string, format: StreamFormat): Promise<void> {
  return writeWhole(path.join(dir, FORMAT_FILE), JSON.stringify(format));
}

export function writeStreamChunk(dir: string, index: number, pcm: Uint8Array): Promise<void> {
  return writeWhole(path.join(dir, chunkFileName(index)), pcm);
}

async function readIfThere(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export async function readStreamFormat(dir: string): Promise<StreamFormat | undefined> {
  const bytes = await readIfThere(path.join(dir, FORMAT_FILE));
  return bytes && streamFormatSchema.parse(JSON.parse(bytes.toString("utf8")));
}

export function readStreamChunk(dir: string, index: number): Promise<Buffer | undefined> {
  return readIfThere(path.join(dir, chunkFileName(index)));
}
