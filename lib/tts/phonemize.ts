/**
 * espeak-ng phonemization through the `phonemizer` package (espeak-ng compiled to WASM), so the
 * browser and Node run the same phonemizer. That build carries the English voices only.
 *
 * espeak drops punctuation, but the acoustic models were trained with it (it shapes pauses and
 * intonation), so text is cut at punctuation runs, the runs between are phonemized, and the
 * punctuation is put back verbatim: the scheme of Kokoro's reference front ends (kokoro-js,
 * misaki's espeak fallback).
 */

export const PHONEMIZER_LANGUAGES = ["en-us", "en-gb"] as const;
export type PhonemizerLanguage = (typeof PHONEMIZER_LANGUAGES)[number];

type PhonemizerModule = typeof import("phonemizer");
let loading: Promise<PhonemizerModule> | undefined;

const PROCESS_EVENTS = ["uncaughtException", "unhandledRejection"] as const;
type Listener = (...args: unknown[]) => void;
interface ListenerHost {
  listeners(event: string): Listener[];
  removeListener(event: string, listener: Listener): unknown;
}

/**
 * The Emscripten glue installs process-wide uncaughtException/unhandledRejection handlers in Node
 * when it loads; those would change how the host process fails, so they are removed again.
 */
async function loadPhonemizer(): Promise<PhonemizerModule> {
  const host =
    typeof process === "object" && typeof process.listeners === "function"
      ? (process as unknown as ListenerHost)
      : undefined;
  const before = host ? PROCESS_EVENTS.map((event) => new Set(host.listeners(event))) : [];
  const module = await import("phonemizer");
  if (host) {
    PROCESS_EVENTS.forEach((event, index) => {
      for (const listener of host.listeners(event)) {
        if (!before[index]?.has(listener)) host.removeListener(event, listener);
      }
    });
  }
  return module;
}

function phonemizer(): Promise<PhonemizerModule> {
  loading ??= loadPhonemizer().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * Voices are selected by file identifier, not by language name: in this WASM build, selecting
 * "en-gb" while "en-us" is loaded keeps the American voice (checked against Debian's
 * espeak-ng 1.51; the golden test covers the switch), while the identifier always switches.
 */
const ESPEAK_IDENTIFIERS: Record<PhonemizerLanguage, string> = { "en-us": "gmw/en-US", "en-gb": "gmw/en" };

/** Varied enough (numbers said out, stress, both accents) to run most of espeak-ng's code. */
const WARM_UP_SENTENCES = [
  "The quick brown fox jumps over the lazy dog, twice.",
  "On March third, two thousand twenty four, she paid twelve dollars.",
  "Would you like some tea? Yes, please!",
];
const WARM_UP_ROUNDS = 2;

/**
 * Loads and initialises espeak-ng ahead of the first request (the WASM start takes ~0.3 s), then
 * phonemizes a few sentences a few times: the engine compiles WASM in a quick baseline tier
 * first and re-compiles functions optimised only once they have run a while, so without this the
 * first few real requests ran several times slower than later ones (400 ms against 40 ms for a
 * 57-character preview in the e2e numbers).
 */
export async function warmUpPhonemizer(): Promise<void> {
  const module = await phonemizer();
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    for (const sentence of WARM_UP_SENTENCES) {
      for (const language of PHONEMIZER_LANGUAGES)
        await module.phonemize(sentence, ESPEAK_IDENTIFIERS[language]);
    }
  }
}

/**
 * espeak-ng's IPA for a text, one string per clause, exactly as `espeak-ng -q --ipa -v LANG`
 * prints it line by line.
 */
export async function espeakIpa(text: string, language: PhonemizerLanguage = "en-us"): Promise<string[]> {
  return (await phonemizer()).phonemize(text, ESPEAK_IDENTIFIERS[language]);
}

/** Text → espeak-ng's IPA lines: the WASM build here, or (on the backend) Debian's native binary. */
export interface IpaSource {
  (text: string, language: PhonemizerLanguage): Promise<string[]>;
  /**
   * Many texts in one call, one joined line each; undefined when the answer cannot be split back
   * per text (then each is asked alone). A process per call makes this matter for native espeak.
   */
  batch?: (texts: readonly string[], language: PhonemizerLanguage) => Promise<string[] | undefined>;
}

let defaultIpaSource: IpaSource = espeakIpa;

/**
 * The backend's workers switch to Debian's `espeak-ng --ipa` (server/engines/tts/native-espeak.ts),
 * which the golden tests hold equal to the WASM build and which is many times faster; the
 * browser keeps the WASM build.
 */
export function setIpaSource(source: IpaSource): void {
  defaultIpaSource = source;
}

/** Punctuation kept in the phoneme string (Kokoro's vocabulary has all of these). */
const PUNCTUATION = new Set([...';:,.!?¡¿—…"«»“”(){}[]']);

/** Cuts text into word runs and punctuation runs; spaces next to punctuation go with the punctuation. */
export function splitAtPunctuation(text: string): { text: string; punctuation: boolean }[] {
  const sections: { text: string; punctuation: boolean }[] = [];
  const push = (part: string, punctuation: boolean) => {
    if (!part) return;
    const last = sections.at(-1);
    if (last && last.punctuation === punctuation) last.text += part;
    else sections.push({ text: part, punctuation });
  };
  let run = "";
  let runIsPunctuation = false;
  const flush = () => {
    if (runIsPunctuation) push(run, true);
    else {
      const lead = run.length - run.trimStart().length;
      const trail = run.trimEnd().length;
      const afterPunctuation = sections.at(-1)?.punctuation === true;
      // Leading spaces join the punctuation before; trailing ones the punctuation after (flush
      // is called for a text run only when punctuation follows or the text ends).
      if (afterPunctuation) push(run.slice(0, lead), true);
      const body = run.slice(afterPunctuation ? lead : 0, trail);
      if (body.trim()) push(body, false);
      else push(body, true);
      push(run.slice(Math.max(trail, afterPunctuation ? lead : 0)), true);
    }
    run = "";
  };
  for (const char of text) {
    const punctuation = PUNCTUATION.has(char);
    if (run && punctuation !== runIsPunctuation) flush();
    runIsPunctuation = punctuation;
    run += char;
  }
  if (run) flush();
  return sections;
}

/** Phonemes with the text's punctuation kept in place. */
export async function phonemizeKeepingPunctuation(
  text: string,
  language: PhonemizerLanguage,
  ipa: IpaSource = defaultIpaSource,
): Promise<string> {
  return (await phonemizeManyKeepingPunctuation([text], language, ipa))[0] ?? "";
}

/**
 * Several texts' phonemes (each as phonemizeKeepingPunctuation gives it), with every text's
 * spoken sections in one batch: one espeak-ng process for many chunks instead of one per chunk,
 * whose start-up was most of the pipeline's phonemization time (bench:tts).
 */
export async function phonemizeManyKeepingPunctuation(
  texts: readonly string[],
  language: PhonemizerLanguage,
  ipa: IpaSource = defaultIpaSource,
): Promise<string[]> {
  const perText = texts.map((text) => splitAtPunctuation(text));
  const spoken = perText.flat().filter((section) => !section.punctuation && section.text.trim());
  const batched =
    ipa.batch && spoken.length > 1
      ? await ipa.batch(
          spoken.map((s) => s.text),
          language,
        )
      : undefined;
  const results: string[] = [];
  let index = 0;
  for (const sections of perText) {
    const parts: string[] = [];
    for (const section of sections) {
      if (section.punctuation) parts.push(section.text);
      else if (section.text.trim()) {
        parts.push(batched?.[index] ?? (await ipa(section.text, language)).join(" "));
        index++;
      } else parts.push(section.text);
    }
    results.push(parts.join(""));
  }
  return results;
}

/**
 * The fix-ups Kokoro's own front ends apply to espeak output before tokenizing (kokoro-js 1.2
 * `phonemize`): the model's name, symbols outside its vocabulary mapped to the nearest ones it
 * has, a space before "hundred", and American flapping in "ninety" → "ninedy".
 */
export function kokoroFixups(phonemes: string, language: PhonemizerLanguage): string {
  let out = phonemes
    .replaceAll("kəkˈoːɹoʊ", "kˈoʊkəɹoʊ")
    .replaceAll("kəkˈɔːɹəʊ", "kˈəʊkəɹəʊ")
    .replaceAll("ʲ", "j")
    .replaceAll("r", "ɹ")
    .replaceAll("x", "k")
    .replaceAll("ɬ", "l")
    .replace(/(?<=[a-zɹː])(?=hˈʌndɹɪd)/g, " ")
    .replace(/ z(?=[;:,.!?¡¿—…"«»“” ]|$)/g, "z");
  if (language === "en-us") out = out.replace(/(?<=nˈaɪn)ti(?!ː)/g, "di");
  return out.trim();
}

export async function phonemizeForKokoro(
  text: string,
  language: PhonemizerLanguage,
  ipa: IpaSource = defaultIpaSource,
): Promise<string> {
  return kokoroFixups(await phonemizeKeepingPunctuation(text, language, ipa), language);
}

export async function phonemizeManyForKokoro(
  texts: readonly string[],
  language: PhonemizerLanguage,
  ipa: IpaSource = defaultIpaSource,
): Promise<string[]> {
  const phonemes = await phonemizeManyKeepingPunctuation(texts, language, ipa);
  return phonemes.map((each) => kokoroFixups(each, language));
}
