/**
 * The browser preview end to end in Chromium: Kokoro (the random-weight signature fixture with
 * the real vocabulary and voices) on onnxruntime-web in the page's worker, espeak-ng phonemes
 * from WASM, verified downloads cached in Cache Storage; long text as a backend job.
 */
import { statSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, expectNoAxeViolations, test } from "./fixtures";
import { measureWarmPreviews, PREVIEW_TEXT, previewOnce } from "./helpers/preview";
import { screenshotElementBothThemes } from "./screenshots";

function speechCard(page: Page) {
  return page.locator("section").filter({ has: page.getByRole("heading", { name: "Text to speech" }) });
}

test("short text is spoken in the browser, on the device the browser offers, and the model is cached", async ({
  page,
  auth,
  account,
}) => {
  test.setTimeout(180_000);
  const modelRequests: string[] = [];
  page.context().on("request", (request) => {
    const { pathname } = new URL(request.url());
    // Model files and the runtime's WASM binary (its small .mjs modules load through the HTTP cache).
    if (pathname.startsWith("/api/models/") || pathname.endsWith(".wasm")) modelRequests.push(pathname);
  });
  await auth.signUp(account);
  await expect(page.getByTestId("home-title")).toContainText("Welcome");

  await page.getByLabel("Text", { exact: true }).fill(PREVIEW_TEXT);
  await expect(page.getByTestId("character-count")).toContainText(`${[...PREVIEW_TEXT].length} / 50,000`);
  const first = await previewOnce(page);

  const status = page.getByTestId("preview-status");
  await expect(status).toHaveAttribute("data-status", "ready");
  const device = await status.getAttribute("data-device");
  // The worker's probe must agree with what this browser offers: an adapter means WebGPU.
  const hasAdapter = await page.evaluate(async () => {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    return Boolean(gpu && (await gpu.requestAdapter().catch(() => null)));
  });
  expect(device).toBe(hasAdapter ? "webgpu" : "wasm");
  await expect(page.getByTestId("preview-device")).toHaveText(device === "webgpu" ? "WebGPU" : "WASM (CPU)");
  const downloaded = Number(await status.getAttribute("data-downloaded-bytes"));
  expect(downloaded).toBeGreaterThan(0);
  expect(modelRequests).toContain("/api/models/kokoro-signature-random/onnx/model.onnx");
  test.info().annotations.push({ type: "execution provider", description: device ?? "none" });
  console.log(`preview execution provider: ${device}; first load downloaded ${downloaded} bytes`);

  // Files went to Cache Storage, keyed by their SHA-256.
  const cached = await page.evaluate(async () =>
    (await (await caches.open("parla-models-v1")).keys()).map((request) => new URL(request.url).pathname),
  );
  expect(cached.length).toBeGreaterThanOrEqual(4);
  for (const path of cached) expect(path).toMatch(/^\/__parla-model-cache\/sha256\/[0-9a-f]{64}$/);

  // After warm-up: time to first audio, measured by the page from click to samples.
  const { median } = await measureWarmPreviews(page, first, {
    device,
    downloadedBytes: downloaded,
    resultFile: "tts-preview-e2e.json",
  });
  test.info().annotations.push({ type: "preview first audio (median, warm)", description: `${median} ms` });

  // A voice sample is spoken by the same worker.
  await page.getByLabel("Voice").selectOption("bm_george");
  await page.getByRole("button", { name: "Play a sample of bm_george" }).click();
  await expect(page.getByTestId("preview-result")).toContainText("Sample of bm_george");

  // The waveform player seeks by keyboard.
  const seekbar = page.getByRole("slider", { name: "Position in Sample of bm_george" });
  const sample = page.getByTestId("preview-audio");
  await expect
    .poll(() => sample.evaluate((element: HTMLAudioElement) => element.duration || 0))
    .toBeGreaterThan(0);
  await sample.evaluate((element: HTMLAudioElement) => element.pause());
  await seekbar.focus();
  await page.keyboard.press("End");
  await expect(seekbar).not.toHaveAttribute("aria-valuenow", "0");
  await page.keyboard.press("Home");
  await expect(seekbar).toHaveAttribute("aria-valuenow", "0");
  await expectNoAxeViolations(page);

  // A fresh page (new worker): every file comes from the cache, nothing is downloaded again.
  const requestsBefore = modelRequests.length;
  await page.reload();
  await page.getByLabel("Text", { exact: true }).fill(PREVIEW_TEXT);
  await previewOnce(page);
  await expect(status).toHaveAttribute("data-status", "ready");
  await expect(status).toHaveAttribute("data-downloaded-bytes", "0");
  await expect(status).toContainText("model from cache");
  expect(modelRequests.slice(requestsBefore)).toEqual([]);

  await expectNoAxeViolations(page);
  await screenshotElementBothThemes(speechCard(page), "studio-speech");
});

test("text over the preview limit is refused inline and offered as a job, which finishes and downloads", async ({
  page,
  auth,
  account,
}) => {
  await auth.signUp(account);
  const text = page.getByLabel("Text", { exact: true });

  // The same checks as the server, with the position and the character.
  await text.fill("Hello\u202Eworld");
  await expect(page.getByTestId("text-issues")).toContainText("Bidirectional override U+202E at position 5");
  await expect(text).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("button", { name: "Preview", exact: true })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Generate" })).toBeDisabled();

  const long = "Parla reads this longer text on the backend, sentence by sentence. ".repeat(6).trim();
  expect([...long].length).toBeGreaterThan(300);
  await text.fill(long);
  await expect(page.getByTestId("text-issues")).toHaveCount(0);
  await expect(page.getByTestId("preview-too-long")).toContainText("Generate makes it a job");
  await expect(page.getByRole("button", { name: "Preview", exact: true })).toBeDisabled();
  await expectNoAxeViolations(page);

  await page.getByLabel("Format").selectOption("wav");
  await page.getByRole("button", { name: "Generate" }).click();
  const card = page.getByTestId("job-card").first();
  await expect(card).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
  const audio = card.getByTestId("job-audio");
  await expect
    .poll(() => audio.evaluate((element: HTMLAudioElement) => element.duration || 0))
    .toBeGreaterThan(0);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    card.getByRole("link", { name: "Download speech.wav" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("speech.wav");
  const path = await download.path();
  expect(statSync(path).size).toBeGreaterThan(44);
  await expectNoAxeViolations(page);
});
