/**
 * Kokoro in the browser: the same front end as the server (lib/text normalisation and chunks,
 * lib/tts espeak-ng phonemes, vocabulary ids, voice style rows) feeding onnxruntime-web. One
 * session per worker, created on the probed device (WebGPU, else WASM) and warmed up once.
 */
import type * as Ort from "onnxruntime-web";
import { concatSamples } from "@/lib/audio/concat-samples";
import { LIMITS } from "@/lib/limits";
import type { AvailablePreviewConfig, PreviewDevice, PreviewFile } from "@/lib/schemas/tts-preview";
import { chunkText } from "@/lib/text/chunk";
import { normalizeText } from "@/lib/text/normalize";
import { type KokoroVocab, kokoroTokenize, parseKokoroVocab } from "@/lib/tts/kokoro-tokenizer";
import { phonemizeForKokoro, warmUpPhonemizer } from "@/lib/tts/phonemize";
import { parseVoiceTable, styleRow } from "@/lib/tts/voice-style";
import { isKokoroVoice, kokoroAccent } from "@/lib/tts/voices";
import { fetchVerified, type ProgressListener } from "./verified-fetch";

type OrtModule = typeof Ort;
export type FileProgress = (file: string, ...progress: Parameters<ProgressListener>) => void;

const WARM_UP_TEXT = "Hello.";

/** WebGPU when the browser hands out an adapter (the probe the issue asks for), else WASM. */
export async function probeDevice(): Promise<PreviewDevice> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return "wasm";
  try {
    return (await gpu.requestAdapter()) ? "webgpu" : "wasm";
  } catch {
    return "wasm";
  }
}

/** Threads need SharedArrayBuffer, which only a cross-origin isolated context has. */
export function wasmThreads(): number {
  return self.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
}

async function loadRuntime(
  config: AvailablePreviewConfig,
  device: PreviewDevice,
  progress: FileProgress,
): Promise<{ ort: OrtModule; downloaded: number }> {
  const runtime = config.runtime[device];
  const wasm = await fetchVerified(runtime.wasm, (...args) => progress("runtime", ...args));
  // A runtime URL: the bundler must leave this import alone (the app serves ORT's own files).
  const ort = (await import(
    /* webpackIgnore: true */ /* turbopackIgnore: true */ runtime.module
  )) as OrtModule;
  ort.env.wasm.wasmBinary = wasm.bytes.buffer;
  ort.env.wasm.numThreads = wasmThreads();
  ort.env.logLevel = "error";
  return { ort, downloaded: wasm.fromCache ? 0 : runtime.wasm.bytes };
}

export class KokoroPreview {
  private readonly voices = new Map<string, Promise<Float32Array>>();
  downloadedBytes = 0;

  private constructor(
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
    private readonly vocab: KokoroVocab,
    private readonly config: AvailablePreviewConfig,
    private readonly progress: FileProgress,
    readonly device: PreviewDevice,
    readonly dtype: "fp32" | "q8",
  ) {}

  static async create(
    config: AvailablePreviewConfig,
    device: PreviewDevice,
    progress: FileProgress,
  ): Promise<KokoroPreview> {
    const { ort, downloaded } = await loadRuntime(config, device, progress);
    // 8-bit weights are smaller and faster on WASM; WebGPU runs fp32 (its int8 kernels are few).
    const dtype = device === "wasm" && config.model.q8 ? "q8" : "fp32";
    const modelFile = config.model[dtype] ?? config.model.fp32;
    const [model, vocabFile] = await Promise.all([
      fetchVerified(modelFile, (...args) => progress("model", ...args)),
      fetchVerified(config.vocab, (...args) => progress("vocabulary", ...args)),
    ]);
    const vocab = parseKokoroVocab(JSON.parse(new TextDecoder().decode(vocabFile.bytes)));
    const session = await ort.InferenceSession.create(model.bytes, {
      executionProviders: [device],
      graphOptimizationLevel: "all",
    });
    for (const name of ["input_ids", "style", "speed"]) {
      if (!session.inputNames.includes(name)) throw new Error(`The Kokoro model has no input "${name}"`);
    }
    const preview = new KokoroPreview(ort, session, vocab, config, progress, device, dtype);
    preview.downloadedBytes =
      downloaded + (model.fromCache ? 0 : modelFile.bytes) + (vocabFile.fromCache ? 0 : config.vocab.bytes);
    return preview;
  }

  /** One run end to end (espeak-ng start, kernel compilation), so the first real preview is fast. */
  async warmUp(voice: string): Promise<void> {
    await warmUpPhonemizer();
    await this.speak(WARM_UP_TEXT, voice, 1);
  }

  private voiceTable(voice: string): Promise<Float32Array> {
    let table = this.voices.get(voice);
    if (!table) {
      const file: PreviewFile | undefined = Object.hasOwn(this.config.voices, voice)
        ? this.config.voices[voice]
        : undefined;
      if (!file || !isKokoroVoice(voice))
        return Promise.reject(new Error(`"${voice}" is not a Kokoro voice`));
      table = fetchVerified(file, (...args) => this.progress(`voice ${voice}`, ...args)).then((fetched) => {
        if (!fetched.fromCache) this.downloadedBytes += file.bytes;
        return parseVoiceTable(fetched.bytes);
      });
      table.catch(() => this.voices.delete(voice));
      this.voices.set(voice, table);
    }
    return table;
  }

  async speak(text: string, voice: string, speed: number) {
    if (!isKokoroVoice(voice)) throw new Error(`"${voice}" is not a Kokoro voice`);
    const table = await this.voiceTable(voice);
    const parts: Float32Array[] = [];
    let phonemizeMs = 0;
    let inferMs = 0;
    for (const chunk of chunkText(normalizeText(text), { maxChars: LIMITS.tts.CHUNK_MAX_CHARS })) {
      const started = performance.now();
      const { ids } = kokoroTokenize(await phonemizeForKokoro(chunk, kokoroAccent(voice)), this.vocab);
      const phonemized = performance.now();
      phonemizeMs += phonemized - started;
      if (ids.length <= 2) continue;
      const style = styleRow(table, ids.length - 2);
      const outputs = await this.session.run({
        input_ids: new this.ort.Tensor("int64", ids, [1, ids.length]),
        style: new this.ort.Tensor("float32", style, [1, style.length]),
        speed: new this.ort.Tensor("float32", Float32Array.of(speed), [1]),
      });
      const waveform = outputs.waveform;
      if (waveform?.type !== "float32") throw new Error("The model gave no float32 waveform");
      parts.push(Float32Array.from(waveform.data as Float32Array));
      for (const output of Object.values(outputs)) output.dispose();
      inferMs += performance.now() - phonemized;
    }
    return { samples: concatSamples(parts), sampleRate: this.config.sampleRate, phonemizeMs, inferMs };
  }
}
