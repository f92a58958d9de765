/**
 * Silero VAD v6.2 on onnxruntime-node, with the real weights read only through the verified
 * loader (the bytes handed to onnxruntime are the bytes that matched models.lock.json).
 *
 * The model is stateful: each call takes 64 samples of context + 512 new samples ([1, 576]) and
 * the recurrent state [2, 1, 128] from the call before, and returns the speech probability and
 * the next state. It always runs on the CPU: it is tiny, and a GPU round trip per 32 ms frame
 * would cost more than the model.
 */
import * as ort from "onnxruntime-node";
import { type ModelStoreOptions, readVerifiedModelFile } from "@/models/load-node";
import {
  type AudioWindow,
  DEFAULT_VAD_SETTINGS,
  planWindows,
  type SampleSpan,
  speechSegments,
  VAD_FRAME_SAMPLES,
  type VadSettings,
} from "@/server/engines/stt/vad-segments";

export const VAD_MODEL_ID = "silero-vad";
export const VAD_MODEL_FILE = "silero_vad.onnx";
const CONTEXT_SAMPLES = 64;
const STATE_SIZE = 2 * 1 * 128;
/** Check the AbortSignal and yield to the event loop this often (frames), so cancel is prompt. */
const FRAMES_PER_YIELD = 256;

export interface VadResult {
  /** One probability per 512-sample frame. */
  probabilities: Float32Array;
  segments: SampleSpan[];
  windows: AudioWindow[];
}

export class SileroVad {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async load(store: ModelStoreOptions): Promise<SileroVad> {
    const bytes = await readVerifiedModelFile(VAD_MODEL_ID, VAD_MODEL_FILE, store);
    const session = await ort.InferenceSession.create(bytes, {
      executionProviders: ["cpu"],
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
    });
    return new SileroVad(session);
  }

  /** Speech probability of every 512-sample frame of 16 kHz audio (the last frame zero-padded). */
  async probabilities(samples: Float32Array, signal?: AbortSignal): Promise<Float32Array> {
    const frames = Math.ceil(samples.length / VAD_FRAME_SAMPLES);
    const out = new Float32Array(frames);
    const input = new Float32Array(CONTEXT_SAMPLES + VAD_FRAME_SAMPLES);
    const sr = new ort.Tensor("int64", BigInt64Array.from([16_000n]), []);
    let state: ort.Tensor = new ort.Tensor("float32", new Float32Array(STATE_SIZE), [2, 1, 128]);

    for (let frame = 0; frame < frames; frame++) {
      if (frame % FRAMES_PER_YIELD === 0) {
        signal?.throwIfAborted();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      // Slide the context: the last 64 samples of this input open the next one.
      input.copyWithin(0, VAD_FRAME_SAMPLES);
      const chunk = samples.subarray(frame * VAD_FRAME_SAMPLES, (frame + 1) * VAD_FRAME_SAMPLES);
      input.set(chunk, CONTEXT_SAMPLES);
      if (chunk.length < VAD_FRAME_SAMPLES) input.fill(0, CONTEXT_SAMPLES + chunk.length);
      const result = await this.session.run({
        input: new ort.Tensor("float32", input.slice(), [1, input.length]),
        state,
        sr,
      });
      const { output, stateN } = result;
      if (!output || !stateN) throw new Error("Silero VAD returned no output/stateN (wrong model file?)");
      out[frame] = (output.data as Float32Array)[0] ?? 0;
      state = stateN;
    }
    return out;
  }

  /** Speech segments and the ≤30 s windows Whisper will read, in samples. */
  async detect(
    samples: Float32Array,
    settings: VadSettings = DEFAULT_VAD_SETTINGS,
    signal?: AbortSignal,
  ): Promise<VadResult> {
    const probabilities = await this.probabilities(samples, signal);
    const segments = speechSegments(probabilities, samples.length, settings);
    return { probabilities, segments, windows: planWindows(segments, probabilities, settings) };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
