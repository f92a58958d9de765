/**
 * Driving the studio's browser preview: one click of "Preview" until the clip plays, and the
 * warm timing runs both preview specs (WASM and WebGPU) report.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { expect, type Page } from "@playwright/test";

export const PREVIEW_TEXT = "Hello from Parla. This sentence is spoken in the browser.";
const TIMED_RUNS = 5;

export interface PreviewRun {
  firstAudioMs: number;
  inferMs: number;
  phonemizeMs: number;
  includedLoad: boolean;
}

export async function previewOnce(page: Page): Promise<PreviewRun> {
  const result = page.getByTestId("preview-result");
  const before = (await result.count()) ? await result.getAttribute("data-clip-id") : null;
  await page.getByRole("button", { name: "Preview", exact: true }).click();
  await expect(result).not.toHaveAttribute("data-clip-id", before ?? "none", { timeout: 60_000 });
  await expect(result).toHaveAttribute("data-clip-id", /\d+/);
  const audio = page.getByTestId("preview-audio");
  await expect
    .poll(() => audio.evaluate((element: HTMLAudioElement) => element.duration || 0))
    .toBeGreaterThan(0);
  const read = async (name: string) => Number(await result.getAttribute(name));
  return {
    firstAudioMs: await read("data-first-audio-ms"),
    inferMs: await read("data-infer-ms"),
    phonemizeMs: await read("data-phonemize-ms"),
    includedLoad: (await result.getAttribute("data-included-load")) === "true",
  };
}

/**
 * After the first (loading) preview: TIMED_RUNS warm previews, time to first audio measured by the
 * page from click to samples; the numbers go to the console and to bench-results/<file>.
 */
export async function measureWarmPreviews(
  page: Page,
  first: PreviewRun,
  details: { device: string | null; downloadedBytes: number; resultFile: string },
): Promise<{ median: number }> {
  expect(first.includedLoad).toBe(true);
  const runs: PreviewRun[] = [];
  for (let i = 0; i < TIMED_RUNS; i++) runs.push(await previewOnce(page));
  expect(runs.every((run) => !run.includedLoad)).toBe(true);
  const sorted = runs.map((run) => run.firstAudioMs).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const numbers = {
    device: details.device,
    text_chars: [...PREVIEW_TEXT].length,
    first_load_first_audio_ms: first.firstAudioMs,
    warm_first_audio_ms: sorted,
    warm_first_audio_median_ms: median,
    warm_infer_ms: runs.map((run) => run.inferMs),
    warm_phonemize_ms: runs.map((run) => run.phonemizeMs),
    first_load_downloaded_bytes: details.downloadedBytes,
  };
  console.log(`preview numbers: ${JSON.stringify(numbers)}`);
  mkdirSync("bench-results", { recursive: true });
  writeFileSync(`bench-results/${details.resultFile}`, `${JSON.stringify(numbers, null, 2)}\n`);
  return { median };
}
