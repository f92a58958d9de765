import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ORT_SERVED_FILES, ortDistDir, ortVersion, previewRuntime } from "@/app/_server/preview/ort-runtime";
import { GET } from "@/app/ort/[version]/[file]/route";

function get(version: string, file: string) {
  return GET(new Request(`http://parla.test/ort/${version}/${file}`), {
    params: Promise.resolve({ version, file }),
  });
}

describe("onnxruntime-web files for the preview", () => {
  it("describes each device's runtime with the WASM binary's real size and SHA-256", async () => {
    const version = await ortVersion();
    for (const device of ["wasm", "webgpu"] as const) {
      const runtime = await previewRuntime(device);
      expect(runtime.module).toMatch(
        new RegExp(`^/ort/${version.replaceAll(".", "\\.")}/ort\\.[a-z]+\\.min\\.mjs$`),
      );
      const bytes = readFileSync(path.join(ortDistDir(), path.basename(runtime.wasm.url)));
      expect(runtime.wasm.bytes).toBe(bytes.byteLength);
      expect(runtime.wasm.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    }
  });

  it("serves allowlisted files with their type and immutable caching", async () => {
    const version = await ortVersion();
    const wasm = await get(version, "ort-wasm-simd-threaded.wasm");
    expect(wasm.status).toBe(200);
    expect(wasm.headers.get("content-type")).toBe("application/wasm");
    expect(wasm.headers.get("cache-control")).toContain("immutable");
    await wasm.body?.cancel();
    const module = await get(version, "ort.wasm.min.mjs");
    expect(module.headers.get("content-type")).toBe("text/javascript");
    expect((await module.text()).length).toBe(
      readFileSync(path.join(ortDistDir(), "ort.wasm.min.mjs"), "utf8").length,
    );
  });

  it("answers 404 for anything else: other files, traversal, another version", async () => {
    const version = await ortVersion();
    for (const file of ["ort.node.min.mjs", "../package.json", "..%2Fpackage.json", "ort.wasm.min.mjs.map"]) {
      expect(ORT_SERVED_FILES.has(file)).toBe(false);
      expect((await get(version, file)).status).toBe(404);
    }
    expect((await get("0.0.1", "ort.wasm.min.mjs")).status).toBe(404);
  });
});
