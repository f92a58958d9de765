/**
 * Debian's `espeak-ng -q --ipa -v LANG` as the backend's phonemizer: the reference the WASM
 * build is golden-tested against (lib/tts/phonemize.test.ts), at a fraction of its CPU time
 * (bench:tts). Text goes in on stdin, never as an argument; a missing binary falls back to WASM.
 */
import { espeakIpa, type PhonemizerLanguage } from "@/lib/tts/phonemize";
import { runTool } from "@/server/audio/run-tool";

const TIMEOUT_MS = 10_000;
const MAX_OUTPUT_BYTES = 1024 * 1024;

let missing = false;

/** The IPA lines espeak-ng prints, as the WASM build returns them (no empty lines). */
export async function nativeEspeakIpa(text: string, language: PhonemizerLanguage): Promise<string[]> {
  if (missing) return espeakIpa(text, language);
  let result: Awaited<ReturnType<typeof runTool>>;
  try {
    result = await runTool("espeak-ng", ["-q", "--ipa", "-v", language], {
      input: text,
      timeoutMs: TIMEOUT_MS,
      maxStdoutBytes: MAX_OUTPUT_BYTES,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    missing = true;
    return espeakIpa(text, language);
  }
  if (result.code !== 0 || result.stopped)
    throw new Error(`espeak-ng --ipa failed (${result.stopped ?? result.code})`);
  return result.stdout
    .toString("utf8")
    .split("\n")
    .filter((line) => line.trim().length > 0);
}
