"use client";
/**
 * The studio's side of the browser preview: fetches the preview config, starts the worker on
 * first use, follows its status events (device, per-file download progress, ready) and turns
 * "speak" into a promise of samples. One worker per page; it lives as long as the page.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import {
  type AvailablePreviewConfig,
  type PreviewDevice,
  type PreviewEvent,
  type PreviewRequest,
  type PreviewTimings,
  previewConfigSchema,
} from "@/lib/schemas/tts-preview";

export interface FileProgressState {
  loaded: number;
  total: number;
  fromCache: boolean;
}

export type PreviewStatus =
  | { status: "idle" }
  | { status: "unavailable"; reason: string }
  | { status: "loading"; device?: PreviewDevice; threads?: number; files: Record<string, FileProgressState> }
  | {
      status: "ready";
      device: PreviewDevice;
      threads: number;
      dtype: "fp32" | "q8";
      loadMs: number;
      warmupMs: number;
      downloadedBytes: number;
      fixture: boolean;
    }
  | { status: "error"; message: string };

export interface PreviewResult {
  samples: Float32Array;
  sampleRate: number;
  timings: PreviewTimings;
  /** From the call to the samples arriving on the page (what a person waits). */
  firstAudioMs: number;
  /** The wait included loading the model (the first preview on a page). */
  includedLoad: boolean;
}

type Pending = {
  resolve: (result: PreviewResult) => void;
  reject: (error: Error) => void;
  started: number;
  warm: boolean;
};

export function useTtsPreview() {
  const [state, setState] = useState<PreviewStatus>({ status: "idle" });
  const worker = useRef<Worker | null>(null);
  const config = useRef<Promise<AvailablePreviewConfig> | null>(null);
  const pending = useRef(new Map<number, Pending>());
  const nextId = useRef(1);
  const ready = useRef(false);

  useEffect(
    () => () => {
      worker.current?.terminate();
      worker.current = null;
    },
    [],
  );

  const onEvent = useCallback((event: PreviewEvent, loaded: AvailablePreviewConfig) => {
    switch (event.type) {
      case "device":
        return setState((previous) => ({
          status: "loading",
          device: event.device,
          threads: event.threads,
          files: previous.status === "loading" ? previous.files : {},
        }));
      case "progress":
        return setState((previous) =>
          previous.status === "loading"
            ? {
                ...previous,
                files: {
                  ...previous.files,
                  [event.file]: { loaded: event.loaded, total: event.total, fromCache: event.fromCache },
                },
              }
            : previous,
        );
      case "ready":
        ready.current = true;
        return setState((previous) => ({
          status: "ready",
          device: event.device,
          threads: previous.status === "loading" ? (previous.threads ?? 1) : 1,
          dtype: event.dtype,
          loadMs: event.loadMs,
          warmupMs: event.warmupMs,
          downloadedBytes: event.downloadedBytes,
          fixture: loaded.fixture,
        }));
      case "audio": {
        const waiting = pending.current.get(event.requestId);
        pending.current.delete(event.requestId);
        waiting?.resolve({
          samples: event.samples,
          sampleRate: event.sampleRate,
          timings: event.timings,
          firstAudioMs: performance.now() - waiting.started,
          includedLoad: !waiting.warm,
        });
        return;
      }
      case "error": {
        if (event.requestId === undefined) {
          setState({ status: "error", message: event.message });
          for (const waiting of pending.current.values()) waiting.reject(new Error(event.message));
          pending.current.clear();
          worker.current?.terminate();
          worker.current = null;
          config.current = null;
          ready.current = false;
          return;
        }
        pending.current.get(event.requestId)?.reject(new Error(event.message));
        pending.current.delete(event.requestId);
      }
    }
  }, []);

  const start = useCallback(async (): Promise<Worker> => {
    config.current ??= fetch("/api/tts/preview", { cache: "no-store" })
      .then(async (response) => {
        if (!response.ok) throw new Error(`The preview settings could not be read (${response.status})`);
        const parsed = previewConfigSchema.parse(await response.json());
        if (!parsed.available) {
          setState({ status: "unavailable", reason: parsed.reason });
          throw new Error(parsed.reason);
        }
        return parsed;
      })
      .catch((error: unknown) => {
        config.current = null;
        throw error;
      });
    const loaded = await config.current;
    if (!worker.current) {
      const created = new Worker(new URL("../workers/tts-preview.worker.ts", import.meta.url), {
        type: "module",
        name: "tts-preview",
      });
      created.onmessage = (message: MessageEvent<PreviewEvent>) => onEvent(message.data, loaded);
      created.onerror = () =>
        onEvent({ type: "error", code: "load", message: "The preview worker stopped" }, loaded);
      worker.current = created;
      setState({ status: "loading", files: {} });
      created.postMessage({ type: "load", config: loaded } satisfies PreviewRequest);
    }
    return worker.current;
  }, [onEvent]);

  const speak = useCallback(
    async (text: string, voice: string, speed: number): Promise<PreviewResult> => {
      const started = performance.now();
      const warm = ready.current;
      const target = await start();
      const requestId = nextId.current++;
      return new Promise<PreviewResult>((resolve, reject) => {
        pending.current.set(requestId, { resolve, reject, started, warm });
        target.postMessage({ type: "speak", requestId, text, voice, speed } satisfies PreviewRequest);
      });
    },
    [start],
  );

  return { state, speak };
}
