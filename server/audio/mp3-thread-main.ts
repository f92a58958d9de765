/**
 * The MP3 thread (mp3-thread.ts): LAME encoders by id. Messages for one id are handled in the
 * order they came (each waits for its encoder to be open); a failure is kept and told at finish.
 */
import { parentPort } from "node:worker_threads";
import { type Mp3Encoder, mp3EncodersInUse, openMp3Encoder } from "./mp3-encoder";
import type { Mp3ThreadReply, Mp3ThreadRequest } from "./mp3-thread-protocol";

interface Entry {
  encoder: Promise<Mp3Encoder>;
  frames: Buffer[];
  error?: string;
}

const encoders = new Map<number, Entry>();

function reply(message: Mp3ThreadReply, transfer: ArrayBuffer[] = []) {
  parentPort?.postMessage(message, transfer);
}

parentPort?.on("message", async (request: Mp3ThreadRequest) => {
  if (request.type === "count") {
    // After what was asked before it: a release still waiting for its encoder counts as done.
    await Promise.allSettled([...encoders.values()].map((entry) => entry.encoder));
    reply({ type: "count", id: request.id, inUse: mp3EncodersInUse() });
    return;
  }
  if (request.type === "open") {
    const encoder = openMp3Encoder(request.sampleRate);
    encoder.catch(() => undefined);
    encoders.set(request.id, { encoder, frames: [] });
    return;
  }
  const entry = encoders.get(request.id);
  if (!entry) {
    if (request.type === "finish") reply({ type: "failed", id: request.id, message: "no such encoder" });
    return;
  }
  try {
    const encoder = await entry.encoder;
    if (request.type === "add") {
      if (!entry.error) entry.frames.push(encoder.encode(request.samples));
      return;
    }
    encoders.delete(request.id);
    if (request.type === "release" || entry.error) {
      encoder.release();
      if (entry.error) reply({ type: "failed", id: request.id, message: entry.error });
      return;
    }
    const bytes = new Uint8Array(Buffer.concat([...entry.frames, encoder.finish()]));
    reply({ type: "done", id: request.id, bytes }, [bytes.buffer]);
  } catch (error) {
    entry.error ??= (error as Error).message;
    if (request.type === "finish") {
      encoders.delete(request.id);
      reply({ type: "failed", id: request.id, message: entry.error });
    }
  }
});
