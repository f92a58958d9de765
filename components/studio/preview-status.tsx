"use client";
/** Where the browser preview stands: the device in use, the first download's progress, or why it is off. */
import { ProgressBar } from "@/components/jobs/progress-bar";
import { formatBytes } from "@/lib/audio/errors";
import type { PreviewStatus as PreviewStatusState } from "./use-tts-preview";

const DEVICE_LABELS = { webgpu: "WebGPU", wasm: "WASM (CPU)" } as const;

export function PreviewStatus({ state }: { state: PreviewStatusState }) {
  if (state.status === "idle") {
    return (
      <p
        className="text-xs text-slate-600 dark:text-slate-400"
        data-testid="preview-status"
        data-status="idle"
      >
        Preview runs in this browser; the model downloads once, then stays cached.
      </p>
    );
  }
  if (state.status === "unavailable" || state.status === "error") {
    return (
      <p
        className="text-xs text-amber-800 dark:text-amber-300"
        data-testid="preview-status"
        data-status={state.status}
        role="status"
      >
        Preview is unavailable: {state.status === "error" ? state.message : state.reason}. Generate still
        works.
      </p>
    );
  }
  if (state.status === "loading") {
    const files = Object.values(state.files);
    const loaded = files.reduce((sum, file) => sum + file.loaded, 0);
    const total = files.reduce((sum, file) => sum + file.total, 0);
    const cached = files.length > 0 && files.every((file) => file.fromCache);
    return (
      <div
        className="flex flex-col gap-1"
        data-testid="preview-status"
        data-status="loading"
        data-device={state.device}
      >
        <ProgressBar value={total > 0 ? loaded / total : null} label="Preview model download" />
        <p className="text-xs text-slate-600 dark:text-slate-400" aria-live="polite">
          {state.device ? `${DEVICE_LABELS[state.device]} · ` : "Checking for WebGPU… "}
          {total > 0
            ? `${cached ? "Loading from cache" : "Downloading the model"}: ${formatBytes(loaded)} of ${formatBytes(total)}`
            : "Preparing"}
        </p>
      </div>
    );
  }
  return (
    <p
      className="text-xs text-slate-600 dark:text-slate-400"
      data-testid="preview-status"
      data-status="ready"
      data-device={state.device}
      data-downloaded-bytes={state.downloadedBytes}
      role="status"
    >
      Preview on{" "}
      <span className="font-semibold text-slate-900 dark:text-slate-100" data-testid="preview-device">
        {DEVICE_LABELS[state.device]}
      </span>
      {state.device === "wasm" && state.threads > 1 ? ` (${state.threads} threads)` : ""} ·{" "}
      {state.downloadedBytes > 0 ? `downloaded ${formatBytes(state.downloadedBytes)}` : "model from cache"}
      {state.fixture ? " · test model (noise, not speech)" : ""}
    </p>
  );
}
