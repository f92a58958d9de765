/**
 * Checks a folder written by make-whisper-random.py on onnxruntime-node, the runtime Parla uses:
 * the encoder and the merged decoder load, every output has optimum's shape (the with-past branch's
 * encoder K/V empty, as in real exports), and the outputs equal torch's on the same inputs
 * (check.json: the encoder's first values, and the prompt step plus cached greedy steps).
 *
 * Usage: npx tsx scripts/bench/check-whisper-export.ts [folder]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { z } from "zod";

const folder = path.resolve(process.argv[2] ?? "data/bench-models/whisper-large-v3-turbo-random");
/** fp32 matmuls summed in another order (oneDNN against MLAS) differ by about this much. */
const TOLERANCE = 2e-3;

const checkSchema = z.object({
  config: z.object({
    n_mels: z.number(),
    d_model: z.number(),
    dec_layers: z.number(),
    heads: z.number(),
  }),
  vocab: z.number(),
  parameters: z.object({ total: z.number() }),
  encoder: z.object({ shape: z.array(z.number()), head: z.array(z.number()) }),
  prompt: z.array(z.number()),
  steps: z.array(z.object({ token: z.number(), logitsHead: z.array(z.number()) })),
});

function expectShape(name: string, tensor: ort.Tensor | undefined, dims: number[]): ort.Tensor {
  if (!tensor) throw new Error(`${name}: missing`);
  if (tensor.dims.join() !== dims.join()) throw new Error(`${name}: [${tensor.dims}] != [${dims}]`);
  return tensor;
}

function expectClose(name: string, actual: ArrayLike<number>, expected: readonly number[]) {
  expected.forEach((value, i) => {
    const got = Number(actual[i]);
    if (!Number.isFinite(got) || Math.abs(got - value) > TOLERANCE * Math.max(1, Math.abs(value))) {
      throw new Error(`${name}[${i}]: ${got} != ${value}`);
    }
  });
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if ((row[i] ?? 0) > (row[best] ?? 0)) best = i;
  return best;
}

function int64(ids: number[]): ort.Tensor {
  return new ort.Tensor("int64", BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
}

async function main() {
  const check = checkSchema.parse(JSON.parse(readFileSync(path.join(folder, "check.json"), "utf8")));
  const { n_mels, d_model, dec_layers, heads } = check.config;
  const headDim = d_model / heads;
  const options: ort.InferenceSession.SessionOptions = { executionProviders: ["cpu"] };

  let started = performance.now();
  const encoder = await ort.InferenceSession.create(path.join(folder, "onnx/encoder_model.onnx"), options);
  const features = new Float32Array(readFileSync(path.join(folder, "check-features.f32")).buffer.slice(0));
  const loadedMs = performance.now() - started;
  started = performance.now();
  const encoded = (
    await encoder.run({ input_features: new ort.Tensor("float32", features, [1, n_mels, 3000]) })
  ).last_hidden_state;
  const encoderMs = performance.now() - started;
  expectShape("last_hidden_state", encoded, check.encoder.shape);
  expectClose("last_hidden_state", encoded?.data as Float32Array, check.encoder.head);
  await encoder.release();

  const decoder = await ort.InferenceSession.create(
    path.join(folder, "onnx/decoder_model_merged.onnx"),
    options,
  );
  // The first step as transformers.js sends it: use_cache_branch false and zero-length pasts.
  const feeds: Record<string, ort.Tensor> = {
    input_ids: int64(check.prompt),
    encoder_hidden_states: encoded as ort.Tensor,
    use_cache_branch: new ort.Tensor("bool", [false], [1]),
  };
  for (let i = 0; i < dec_layers; i++) {
    for (const part of ["decoder.key", "decoder.value", "encoder.key", "encoder.value"]) {
      feeds[`past_key_values.${i}.${part}`] = new ort.Tensor("float32", new Float32Array(0), [
        1,
        heads,
        0,
        headDim,
      ]);
    }
  }
  let past = check.prompt.length;
  const stepMs: number[] = [];
  for (const [index, expected] of check.steps.entries()) {
    started = performance.now();
    const out = await decoder.run(feeds);
    stepMs.push(performance.now() - started);
    const rows = index === 0 ? check.prompt.length : 1;
    const logits = expectShape("logits", out.logits, [1, rows, check.vocab]).data as Float32Array;
    const last = logits.subarray((rows - 1) * check.vocab);
    expectClose(`step ${index} logits`, last, expected.logitsHead);
    if (argmax(last) !== expected.token)
      throw new Error(`step ${index}: token ${argmax(last)} != ${expected.token}`);
    for (let i = 0; i < dec_layers; i++) {
      for (const kind of ["key", "value"]) {
        const self = `present.${i}.decoder.${kind}`;
        const cross = `present.${i}.encoder.${kind}`;
        feeds[`past_key_values.${i}.decoder.${kind}`] = expectShape(self, out[self], [
          1,
          heads,
          past,
          headDim,
        ]);
        if (index === 0) {
          feeds[`past_key_values.${i}.encoder.${kind}`] = expectShape(cross, out[cross], [
            1,
            heads,
            1500,
            headDim,
          ]);
        } else {
          // Like a real optimum export: empty constants, so the caller keeps the first step's.
          expectShape(cross, out[cross], [0, heads, 1, headDim]);
        }
      }
    }
    feeds.input_ids = int64([expected.token]);
    feeds.use_cache_branch = new ort.Tensor("bool", [true], [1]);
    past += 1;
  }
  await decoder.release();

  const round = (ms: number) => Math.round(ms);
  console.warn(
    `ok: ${check.parameters.total.toLocaleString("en")} parameters; onnxruntime-node matches torch ` +
      `(encoder, ${check.steps.length} decoder steps, tokens ${check.steps.map((s) => s.token).join(" ")}); ` +
      `encoder load ${round(loadedMs)} ms, run ${round(encoderMs)} ms; decoder steps ${stepMs.map(round).join(" / ")} ms`,
  );
}

await main();
