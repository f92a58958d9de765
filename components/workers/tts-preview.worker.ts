/**
 * The preview worker: owns one KokoroPreview, created lazily on the first "load" (device probe,
 * verified downloads with progress, session, warm-up), then answers "speak" requests one at a
 * time in arrival order. Samples go back as transferables; errors as { code, message }.
 */
import type {
  AvailablePreviewConfig,
  PreviewErrorCode,
  PreviewEvent,
  PreviewRequest,
} from "@/lib/schemas/tts-preview";
import { KokoroPreview, probeDevice, wasmThreads } from "./kokoro-preview";
import { DownloadError, IntegrityError, pruneCache, UnsupportedError } from "./verified-fetch";

const scope = self as unknown as {
  postMessage(message: PreviewEvent, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<PreviewRequest>) => void) | null;
};

let engine: Promise<KokoroPreview> | undefined;
// Requests run one after another: onnxruntime sessions are not re-entrant.
let queue: Promise<unknown> = Promise.resolve();

function post(event: PreviewEvent, transfer: Transferable[] = []) {
  scope.postMessage(event, transfer);
}

function errorCode(error: unknown, fallback: PreviewErrorCode): PreviewErrorCode {
  if (error instanceof IntegrityError) return "integrity";
  if (error instanceof DownloadError) return "download";
  if (error instanceof UnsupportedError) return "unsupported";
  return fallback;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "The preview failed";
}

async function create(config: AvailablePreviewConfig, voice: string): Promise<KokoroPreview> {
  const started = performance.now();
  const { runtime, model, vocab, voices } = config;
  const current = [
    runtime.webgpu.wasm,
    runtime.wasm.wasm,
    model.fp32,
    model.q8,
    vocab,
    ...Object.values(voices),
  ];
  await pruneCache(current.flatMap((file) => (file ? [file.sha256] : [])));
  const progress = (file: string, loaded: number, total: number, fromCache: boolean) =>
    post({ type: "progress", file, loaded, total, fromCache });
  let device = await probeDevice();
  post({ type: "device", device, threads: device === "wasm" ? wasmThreads() : 0 });
  let preview: KokoroPreview;
  try {
    preview = await KokoroPreview.create(config, device, progress);
  } catch (error) {
    if (device !== "webgpu" || error instanceof IntegrityError) throw error;
    // An adapter that cannot run the model (old driver, missing feature): WASM still can.
    device = "wasm";
    post({ type: "device", device, threads: wasmThreads() });
    preview = await KokoroPreview.create(config, device, progress);
  }
  const loaded = performance.now();
  await preview.warmUp(voice);
  post({
    type: "ready",
    device: preview.device,
    dtype: preview.dtype,
    loadMs: Math.round(loaded - started),
    warmupMs: Math.round(performance.now() - loaded),
    downloadedBytes: preview.downloadedBytes,
  });
  return preview;
}

scope.onmessage = ({ data }) => {
  if (data.type === "load") {
    if (!engine) {
      engine = create(data.config, "af_heart");
      engine.catch((error: unknown) => {
        engine = undefined;
        post({ type: "error", code: errorCode(error, "load"), message: messageOf(error) });
      });
    }
    return;
  }
  const { requestId, text, voice, speed } = data;
  queue = queue.then(async () => {
    try {
      if (!engine) throw new Error("The preview model is not loaded");
      const preview = await engine;
      const started = performance.now();
      const result = await preview.speak(text, voice, speed);
      const timings = {
        phonemizeMs: result.phonemizeMs,
        inferMs: result.inferMs,
        totalMs: performance.now() - started,
      };
      post({ type: "audio", requestId, samples: result.samples, sampleRate: result.sampleRate, timings }, [
        result.samples.buffer,
      ]);
    } catch (error) {
      post({ type: "error", requestId, code: errorCode(error, "synthesis"), message: messageOf(error) });
    }
  });
};
