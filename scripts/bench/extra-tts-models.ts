/**
 * Extra model folders for `npm run bench:tts`, beside the fixtures: BENCH_KOKORO_DIRS (onnx-community
 * layout) and BENCH_PIPER_DIRS (NAME.onnx + NAME.onnx.json), comma-separated. They are meant for the
 * full-size random-weight models that scripts/bench/make-*-random.py write: the real architecture
 * and size, so model time is real, but noise for audio. A folder is checked up front, so a typo
 * stops the bench before it spends minutes on the other engines.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { piperFolderVoiceName } from "@/lib/node/speech-engines";

export const RANDOM_FULL_SIZE = "random weights, full-size architecture";

export interface ExtraTtsModel {
  engine: "kokoro" | "piper";
  dir: string;
  /** For the table and the JSON: never claims real weights. */
  label: string;
  /** Piper's NAME (NAME.onnx in dir); absent for Kokoro. */
  piperName?: string;
}

export function splitDirList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => path.resolve(entry));
}

export async function extraTtsModels(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<ExtraTtsModel[]> {
  const models: ExtraTtsModel[] = [];
  for (const dir of splitDirList(env.BENCH_KOKORO_DIRS)) {
    if (!existsSync(path.join(dir, "onnx", "model.onnx")))
      throw new Error(`BENCH_KOKORO_DIRS: ${dir} has no onnx/model.onnx (onnx-community layout)`);
    models.push({ engine: "kokoro", dir, label: `kokoro ${path.basename(dir)} (${RANDOM_FULL_SIZE})` });
  }
  for (const dir of splitDirList(env.BENCH_PIPER_DIRS)) {
    const piperName = await piperFolderVoiceName(dir);
    if (!piperName)
      throw new Error(`BENCH_PIPER_DIRS: ${dir} needs exactly one NAME.onnx with its NAME.onnx.json`);
    models.push({
      engine: "piper",
      dir,
      label: `piper ${path.basename(dir)} (${RANDOM_FULL_SIZE})`,
      piperName,
    });
  }
  return models;
}
