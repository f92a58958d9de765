/** Results on local disk: DATA_DIR/results/<userId>/<jobId>/<name>, moved in from the job's folder. */
import { createReadStream } from "node:fs";
import { copyFile, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import type { ByteRange } from "@/lib/http/byte-range";
import { checkedId, checkedName, type ResultKey, type ResultStore, type StoredResult } from "./result-store";

export class LocalResultStore implements ResultStore {
  readonly description = "local disk";

  constructor(private readonly root: string) {}

  private jobDir({ userId, jobId }: ResultKey): string {
    return path.join(this.root, checkedId(userId), checkedId(jobId));
  }

  async put(key: ResultKey, name: string, source: { path: string }): Promise<void> {
    const dir = this.jobDir(key);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const target = path.join(dir, checkedName(name));
    try {
      // Same file system in the usual layout: an atomic move, never a half-written result.
      await rename(source.path, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
      const partial = `${target}.partial`;
      await copyFile(source.path, partial);
      await rename(partial, target);
      await rm(source.path, { force: true });
    }
  }

  async get(key: ResultKey, name: string, range?: ByteRange): Promise<StoredResult | undefined> {
    const file = path.join(this.jobDir(key), checkedName(name));
    const found = await stat(file).catch(() => undefined);
    if (!found?.isFile()) return undefined;
    const size = found.size;
    const part = range && range.end < size ? range : undefined;
    const stream = part
      ? createReadStream(file, { start: part.start, end: part.end })
      : createReadStream(file);
    return {
      body: Readable.toWeb(stream) as ReadableStream<Uint8Array>,
      bytes: part ? part.end - part.start + 1 : size,
      size,
      ...(part ? { range: part } : {}),
    };
  }

  async list(key: ResultKey): Promise<string[]> {
    const names = await readdir(this.jobDir(key)).catch(() => []);
    return names.filter((name) => !name.endsWith(".partial")).sort();
  }

  async listUser(userId: string): Promise<string[]> {
    const dir = path.join(this.root, checkedId(userId));
    const keys: string[] = [];
    for (const jobId of await readdir(dir).catch(() => [])) {
      for (const name of await this.list({ userId, jobId })) keys.push(`${jobId}/${name}`);
    }
    return keys.sort();
  }

  async removeJob(key: ResultKey): Promise<void> {
    await rm(this.jobDir(key), { recursive: true, force: true });
  }

  async removeUser(userId: string): Promise<void> {
    await rm(path.join(this.root, checkedId(userId)), { recursive: true, force: true });
  }

  async close(): Promise<void> {}
}
