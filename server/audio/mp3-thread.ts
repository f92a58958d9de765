/**
 * MP3 encoding on a thread of its own, for speech jobs. onnxruntime-node's run() holds the
 * JavaScript thread for the whole model call, so LAME on that thread and the model took turns:
 * every second of audio cost the job ~4 ms of LAME after its model time. On its own thread LAME
 * encodes chunk N while the model makes chunk N+1. One thread per process, started on first use
 * or by startMp3Thread (a worker, at its start).
 */
import { Worker } from "node:worker_threads";
import type { Mp3ThreadReply, Mp3ThreadRequest } from "./mp3-thread-protocol";

/** An encoder whose frames stay on the thread until finish() hands over the whole file. */
export interface ThreadedMp3Encoder {
  add(samples: Float32Array): void;
  finish(): Promise<Buffer>;
  release(): void;
}

interface Thread {
  worker: Worker;
  waiting: Map<number, { resolve: (reply: Mp3ThreadReply) => void; reject: (error: Error) => void }>;
}

let thread: Thread | undefined;
let nextId = 0;

function startThread(): Thread {
  // A small .mjs entry registers tsx in the thread, then loads mp3-thread-main.ts.
  const worker = new Worker(new URL("./mp3-thread-bootstrap.mjs", import.meta.url));
  const started: Thread = { worker, waiting: new Map() };
  worker.on("message", (message: Mp3ThreadReply) => {
    const waiter = started.waiting.get(message.id);
    if (!waiter) return;
    started.waiting.delete(message.id);
    if (message.type === "failed") waiter.reject(new Error(`MP3 encoding failed: ${message.message}`));
    else waiter.resolve(message);
  });
  const fail = (error: Error) => {
    if (thread === started) thread = undefined;
    for (const waiter of started.waiting.values()) waiter.reject(error);
    started.waiting.clear();
  };
  worker.on("error", fail);
  worker.on("exit", () => fail(new Error("the MP3 thread stopped")));
  // Only open encoders keep the process alive (through the jobs awaiting them).
  worker.unref();
  return started;
}

/** Starts the thread ahead of its first encoder (a worker at start: the thread's own start is CPU). */
export function startMp3Thread(): void {
  thread ??= startThread();
}

/** Sends a request that gets an answer, and waits for it. */
function ask(request: Mp3ThreadRequest): Promise<Mp3ThreadReply> {
  thread ??= startThread();
  const { worker, waiting } = thread;
  return new Promise((resolve, reject) => {
    waiting.set(request.id, { resolve, reject });
    worker.postMessage(request);
  });
}

/** Encoders the MP3 thread holds open: a job that stopped early must leave none behind. */
export async function threadMp3EncodersInUse(): Promise<number> {
  const reply = await ask({ type: "count", id: nextId++ });
  return reply.type === "count" ? reply.inUse : Number.NaN;
}

export function openThreadedMp3Encoder(sampleRate: number): ThreadedMp3Encoder {
  thread ??= startThread();
  const { worker } = thread;
  const id = nextId++;
  const send = (request: Mp3ThreadRequest) => worker.postMessage(request);
  send({ type: "open", id, sampleRate });
  let open = true;
  return {
    add(samples) {
      if (!open) throw new Error("MP3 encoder used after it was finished");
      // A copy goes over: the caller keeps its samples.
      send({ type: "add", id, samples });
    },
    finish() {
      if (!open) throw new Error("MP3 encoder used after it was finished");
      open = false;
      return ask({ type: "finish", id }).then((reply) => {
        if (reply.type !== "done") throw new Error("MP3 thread answered out of turn");
        return Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength);
      });
    },
    release() {
      if (!open) return;
      open = false;
      send({ type: "release", id });
    },
  };
}
