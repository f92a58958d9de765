/** SHA-256 helpers: streamed for files on disk, direct for buffers already in memory. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";

export interface FileDigest {
  sha256: string;
  bytes: number;
}

export function sha256Hex(buffer: Uint8Array): string {
  return createHash("sha256").update(buffer).digest("hex");
}

export async function hashStream(stream: Readable): Promise<FileDigest> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

export function hashFile(filePath: string): Promise<FileDigest> {
  return hashStream(createReadStream(filePath));
}
