/**
 * Follows a speech job's audio while the worker makes it: reads each chunk file the moment it
 * is renamed into place (stream-chunks.ts), wakes on the job's in-process events and polls for
 * jobs run elsewhere, and ends when the job has ended and every chunk it wrote has been read.
 */
import { type JobStatus, TERMINAL_STATUSES } from "@/lib/schemas/jobs";
import { readStreamChunk, readStreamFormat, type StreamFormat } from "@/server/speech/stream-chunks";

export type SpeechStreamEvent =
  | { type: "format"; format: StreamFormat }
  | { type: "chunk"; index: number; pcm: Buffer }
  /** The job's last status; "deleted" when it vanished while being followed. */
  | { type: "end"; status: JobStatus | "deleted" };

export interface FollowSpeechOptions {
  /** The job's stream folder. */
  dir: string;
  /** The job's status now; undefined when it no longer exists. */
  status: () => Promise<JobStatus | undefined>;
  /** Resolves when the job may have changed: a wake-up or a poll interval (see changeWaiter). */
  waitForChange: () => Promise<void>;
  signal?: AbortSignal;
}

export async function* followSpeechStream(options: FollowSpeechOptions): AsyncGenerator<SpeechStreamEvent> {
  let format: StreamFormat | undefined;
  let next = 1;
  for (;;) {
    options.signal?.throwIfAborted();
    // Status first: a job seen ended has already written every chunk it will ever write.
    const status = await options.status();
    if (!format) {
      format = await readStreamFormat(options.dir);
      if (format) yield { type: "format", format };
    }
    if (format) {
      for (
        let pcm = await readStreamChunk(options.dir, next);
        pcm;
        pcm = await readStreamChunk(options.dir, next)
      ) {
        // A reader that joins late finds many chunks at once: a caller gone meanwhile stops it here.
        options.signal?.throwIfAborted();
        yield { type: "chunk", index: next, pcm };
        next += 1;
      }
    }
    if (status === undefined || TERMINAL_STATUSES.has(status)) {
      yield { type: "end", status: status ?? "deleted" };
      return;
    }
    await options.waitForChange();
  }
}

/**
 * A wake-up that is never lost: a notice that arrives while nobody waits is remembered, so the
 * next wait returns at once. Without notices it still returns every `pollMs`.
 */
export function changeWaiter(pollMs: number): { notify(): void; wait(): Promise<void> } {
  let pending = false;
  let wake: (() => void) | undefined;
  return {
    notify() {
      pending = true;
      wake?.();
    },
    wait() {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollMs);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          pending = false;
          resolve();
        }
        wake = done;
      });
    },
  };
}
