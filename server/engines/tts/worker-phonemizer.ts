/**
 * The workers' phonemizer: espeak-ng's WASM build inside the process for short texts (a
 * sentence, a stream's first chunk), where starting Debian's espeak-ng was most of the cost, and
 * the native binary for longer texts and batches, where it reads several times faster. The
 * golden tests hold both to the same IPA (lib/tts/phonemize.test.ts), so which one answers never
 * changes the audio.
 */
import { LIMITS } from "@/lib/limits";
import { espeakIpa, type IpaSource, warmUpPhonemizer } from "@/lib/tts/phonemize";
import { nativeEspeakIpa } from "@/server/engines/tts/native-espeak";

let inProcessReady = false;

/**
 * Loads the WASM build and runs it hot, in the background of a worker's start. Until it is
 * ready every text goes to the native binary, so no job waits for the warm-up.
 */
export async function warmUpWorkerPhonemizer(): Promise<void> {
  await warmUpPhonemizer();
  inProcessReady = true;
}

export function phonemizerFor(text: string): "in-process" | "native" {
  return inProcessReady && text.length <= LIMITS.tts.IN_PROCESS_PHONEMIZE_MAX_CHARS ? "in-process" : "native";
}

export const workerIpa: IpaSource = (text, language) =>
  phonemizerFor(text) === "in-process" ? espeakIpa(text, language) : nativeEspeakIpa(text, language);
workerIpa.batch = nativeEspeakIpa.batch;
