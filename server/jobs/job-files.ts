/**
 * Each job's files live in one folder, DATA_DIR/jobs/<id>/: its input, its working files, and a
 * scratch folder that is emptied whatever happens. Deleting a job deletes the folder, unless a
 * reader in this process holds it (a live audio stream still reading a speech job's chunks):
 * then it is deleted when the last hold is released.
 */
import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";

// Job ids are UUIDs; anything else could walk out of the jobs folder.
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FILE_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export class JobFiles {
  private readonly holds = new Map<string, number>();
  private readonly removeWhenReleased = new Set<string>();

  constructor(private readonly root: string) {}

  /** Keeps the job's folder until the returned release is called (removal waits for it). */
  hold(jobId: string): () => Promise<void> {
    this.dir(jobId);
    this.holds.set(jobId, (this.holds.get(jobId) ?? 0) + 1);
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      const left = (this.holds.get(jobId) ?? 1) - 1;
      if (left > 0) {
        this.holds.set(jobId, left);
        return;
      }
      this.holds.delete(jobId);
      if (this.removeWhenReleased.delete(jobId)) await this.remove(jobId);
    };
  }

  dir(jobId: string): string {
    if (!JOB_ID.test(jobId)) throw new Error("invalid job id");
    return path.join(this.root, jobId);
  }

  file(jobId: string, name: string): string {
    if (!FILE_NAME.test(name)) throw new Error("invalid job file name");
    return path.join(this.dir(jobId), name);
  }

  scratch(jobId: string): string {
    return path.join(this.dir(jobId), "scratch");
  }

  async create(jobId: string): Promise<string> {
    const dir = this.dir(jobId);
    await mkdir(path.join(dir, "scratch"), { recursive: true, mode: 0o700 });
    return dir;
  }

  async clearScratch(jobId: string): Promise<void> {
    await rm(this.scratch(jobId), { recursive: true, force: true });
  }

  async remove(jobId: string): Promise<void> {
    if (this.holds.has(jobId)) {
      this.removeWhenReleased.add(jobId);
      return;
    }
    await rm(this.dir(jobId), { recursive: true, force: true });
  }

  async size(jobId: string, name: string): Promise<number | undefined> {
    const found = await stat(this.file(jobId, name)).catch(() => undefined);
    return found?.isFile() ? found.size : undefined;
  }
}
