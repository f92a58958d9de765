/**
 * onnxruntime-web's browser files, served by the app itself (/ort/<version>/<file>): nothing
 * outside the app can be reached, and weights or WASM never go in public/. Only the files the
 * preview uses are served; each WASM binary's SHA-256 is computed once so the browser can
 * verify and cache it like a model file.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { PreviewDevice } from "@/lib/schemas/tts-preview";

/** WebGPU uses the asyncify build (ORT's native WebGPU EP); WASM the plain SIMD build, half the size. */
const RUNTIME_FILES: Record<PreviewDevice, { module: string; glue: string; wasm: string }> = {
  webgpu: {
    module: "ort.webgpu.min.mjs",
    glue: "ort-wasm-simd-threaded.asyncify.mjs",
    wasm: "ort-wasm-simd-threaded.asyncify.wasm",
  },
  wasm: {
    module: "ort.wasm.min.mjs",
    glue: "ort-wasm-simd-threaded.mjs",
    wasm: "ort-wasm-simd-threaded.wasm",
  },
};

export const ORT_SERVED_FILES: ReadonlySet<string> = new Set(
  Object.values(RUNTIME_FILES).flatMap((files) => Object.values(files)),
);

export function ortDistDir(): string {
  return path.join(process.cwd(), "node_modules", "onnxruntime-web", "dist");
}

let version: Promise<string> | undefined;
export function ortVersion(): Promise<string> {
  version ??= readFile(path.join(ortDistDir(), "..", "package.json"), "utf8").then(
    (text) => (JSON.parse(text) as { version: string }).version,
  );
  return version;
}

const digests = new Map<string, Promise<{ sha256: string; bytes: number }>>();
function digest(file: string) {
  let pending = digests.get(file);
  if (!pending) {
    const full = path.join(ortDistDir(), file);
    pending = new Promise((resolve, reject) => {
      const hash = createHash("sha256");
      createReadStream(full)
        .on("data", (chunk) => hash.update(chunk))
        .on("error", reject)
        .on("end", () => stat(full).then(({ size }) => resolve({ sha256: hash.digest("hex"), bytes: size })));
    });
    pending.catch(() => digests.delete(file));
    digests.set(file, pending);
  }
  return pending;
}

export async function previewRuntime(device: PreviewDevice) {
  const files = RUNTIME_FILES[device];
  const base = `/ort/${await ortVersion()}`;
  return {
    module: `${base}/${files.module}`,
    wasm: { url: `${base}/${files.wasm}`, ...(await digest(files.wasm)) },
  };
}
