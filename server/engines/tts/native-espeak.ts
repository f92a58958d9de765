/**
 * Debian's `espeak-ng -q --ipa -v LANG` as the backend's phonemizer: the reference the WASM
 * build is golden-tested against (lib/tts/phonemize.test.ts), at a fraction of its CPU time
 * (bench:tts). Text goes in on stdin, never as an argument; a missing binary falls back to WASM.
 */
import { espeakIpa, type IpaSource, type PhonemizerLanguage } from "@/lib/tts/phonemize";
import { runTool } from "@/server/audio/run-tool";

const TIMEOUT_MS = 10_000;
const MAX_OUTPUT_BYTES = 1024 * 1024;

let missing = false;

/** The IPA lines espeak-ng prints, as the WASM build returns them (no empty lines). */
async function espeakLines(text: string, language: PhonemizerLanguage): Promise<string[] | undefined> {
  if (missing) return undefined;
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
    return undefined;
  }
  if (result.code !== 0 || result.stopped)
    throw new Error(`espeak-ng --ipa failed (${result.stopped ?? result.code})`);
  return result.stdout
    .toString("utf8")
    .split("\n")
    .filter((line) => line.trim().length > 0);
}

export const nativeEspeakIpa: IpaSource = async (text, language) =>
  (await espeakLines(text, language)) ?? espeakIpa(text, language);

/**
 * Every text on its own line in one espeak-ng run: espeak ends a clause at each line, so line i
 * of the answer is text i's IPA. Any doubt (a text with a line break, a clause split inside a
 * text) gives a different line count, and then each text is asked alone.
 */
nativeEspeakIpa.batch = async (texts, language) => {
  if (texts.some((text) => /[\r\n]/.test(text))) return undefined;
  const lines = await espeakLines(texts.join("\n"), language);
  return lines?.length === texts.length ? lines : undefined;
};
