/**
 * The verified model mirror beside the checkout (MODEL_MIRROR_DIR, else ../shared/models).
 * Suites that need real model files use it; under CI its absence fails the run.
 */
import { existsSync } from "node:fs";
import path from "node:path";

export const MODEL_MIRROR_DIR = process.env.MODEL_MIRROR_DIR ?? path.resolve("../shared/models");

export const hasModelMirror = existsSync(path.join(MODEL_MIRROR_DIR, "SHA256SUMS"));

if (!hasModelMirror && process.env.CI) {
  throw new Error(`The model mirror is required under CI: ${MODEL_MIRROR_DIR} has no SHA256SUMS`);
}
