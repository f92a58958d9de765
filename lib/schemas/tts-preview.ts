/**
 * The browser preview's two contracts: what GET /api/tts/preview tells the browser (which Kokoro
 * files to fetch, with the sizes and SHA-256 pinned in models.lock.json) and the typed messages
 * between the studio and its preview worker (components/workers/tts-preview.worker.ts).
 */
import { z } from "zod";

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** One file the browser fetches: a same-origin path, its size, and the hash it must have. */
export const previewFileSchema = z.object({
  url: z.string().regex(/^\/[A-Za-z0-9_./-]+$/, "must be a same-origin path"),
  bytes: z.number().int().positive(),
  sha256,
});
export type PreviewFile = z.infer<typeof previewFileSchema>;

export const PREVIEW_DEVICES = ["webgpu", "wasm"] as const;
export type PreviewDevice = (typeof PREVIEW_DEVICES)[number];

/** onnxruntime-web's entry module and the WASM binary it needs, per device. */
export const previewRuntimeSchema = z.object({
  module: z.string().regex(/^\/[A-Za-z0-9_./-]+\.mjs$/),
  wasm: previewFileSchema,
});

export const previewConfigSchema = z.discriminatedUnion("available", [
  z.object({
    available: z.literal(true),
    engine: z.literal("kokoro"),
    modelId: z.string(),
    fixture: z.boolean(),
    sampleRate: z.number().int().positive(),
    maxChars: z.number().int().positive(),
    runtime: z.object({ webgpu: previewRuntimeSchema, wasm: previewRuntimeSchema }),
    /** fp32 always; an 8-bit model too when the manifest has one (smaller, faster on WASM). */
    model: z.object({ fp32: previewFileSchema, q8: previewFileSchema.optional() }),
    /** Kokoro's config.json with the phoneme vocabulary. */
    vocab: previewFileSchema,
    voices: z.record(z.string(), previewFileSchema),
  }),
  z.object({ available: z.literal(false), reason: z.string() }),
]);
export type PreviewConfig = z.infer<typeof previewConfigSchema>;
export type AvailablePreviewConfig = Extract<PreviewConfig, { available: true }>;

/** Studio → worker. */
export type PreviewRequest =
  | { type: "load"; config: AvailablePreviewConfig }
  | { type: "speak"; requestId: number; text: string; voice: string; speed: number };

export interface PreviewTimings {
  phonemizeMs: number;
  inferMs: number;
  /** From the request reaching the worker to the samples being posted back. */
  totalMs: number;
}

export type PreviewErrorCode = "unsupported" | "download" | "integrity" | "load" | "synthesis";

/** Worker → studio (the transformers.js status protocol, typed). */
export type PreviewEvent =
  | { type: "device"; device: PreviewDevice; threads: number }
  | { type: "progress"; file: string; loaded: number; total: number; fromCache: boolean }
  | {
      type: "ready";
      device: PreviewDevice;
      dtype: "fp32" | "q8";
      loadMs: number;
      warmupMs: number;
      /** Bytes fetched over the network for this load (0 when every file came from the cache). */
      downloadedBytes: number;
    }
  | {
      type: "audio";
      requestId: number;
      samples: Float32Array;
      sampleRate: number;
      timings: PreviewTimings;
    }
  | { type: "error"; requestId?: number; code: PreviewErrorCode; message: string };
