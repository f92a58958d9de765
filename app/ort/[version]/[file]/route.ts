/**
 * GET /ort/<version>/<file>: onnxruntime-web's module and WASM files for the preview worker,
 * from the installed package (an allowlist; nothing else under node_modules is reachable).
 * The version is in the path, so a file never changes under its URL: cached for good.
 */
import { open } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { ORT_SERVED_FILES, ortDistDir, ortVersion } from "@/app/_server/preview/ort-runtime";

export const runtime = "nodejs";

const TYPES: Record<string, string> = { ".mjs": "text/javascript", ".wasm": "application/wasm" };

export async function GET(
  _request: Request,
  context: { params: Promise<{ version: string; file: string }> },
) {
  const { version, file } = await context.params;
  if (version !== (await ortVersion()) || !ORT_SERVED_FILES.has(file)) {
    return Response.json(
      { error: { code: "not_found:ort", message: "Unknown runtime file" } },
      { status: 404, headers: { "cache-control": "no-store" } },
    );
  }
  const handle = await open(path.join(ortDistDir(), file), "r");
  const { size } = await handle.stat();
  const body = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "content-length": String(size),
      "cache-control": "public, max-age=31536000, immutable",
    },
  });
}
