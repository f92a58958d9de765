/**
 * The browser preview on WebGPU. This machine has no GPU, so Chromium's WebGPU adapter here is
 * SwiftShader (Vulkan emulated on the CPU): the spec proves the WebGPU code path end to end
 * (probe, onnxruntime-web's WebGPU build, the session, audio out), not GPU speed.
 */
import { expect, expectNoAxeViolations, test } from "./fixtures";
import { CHROMIUM_WEBGPU_LAUNCH_OPTIONS } from "./helpers/chromium";
import { measureWarmPreviews, PREVIEW_TEXT, previewOnce } from "./helpers/preview";

test.use({ launchOptions: CHROMIUM_WEBGPU_LAUNCH_OPTIONS });

test("with a WebGPU adapter the preview runs on WebGPU and plays", async ({ page, auth, account }) => {
  test.setTimeout(180_000);
  await auth.signUp(account);
  const adapter = await page.evaluate(async () => {
    const gpu = (
      navigator as Navigator & {
        gpu?: { requestAdapter(): Promise<{ info?: { architecture?: string } } | null> };
      }
    ).gpu;
    const found = gpu ? await gpu.requestAdapter() : null;
    return found ? { architecture: found.info?.architecture ?? "" } : null;
  });
  expect(adapter, "this Chromium hands out a WebGPU adapter with --enable-unsafe-webgpu").not.toBeNull();

  await page.getByLabel("Text", { exact: true }).fill(PREVIEW_TEXT);
  const first = await previewOnce(page);
  const status = page.getByTestId("preview-status");
  await expect(status).toHaveAttribute("data-status", "ready");
  // No silent fall back to WASM: the session runs on the WebGPU execution provider.
  await expect(status).toHaveAttribute("data-device", "webgpu");
  await expect(page.getByTestId("preview-device")).toHaveText("WebGPU");
  test.info().annotations.push({
    type: "execution provider",
    description: `webgpu (adapter: ${adapter?.architecture || "unknown"})`,
  });

  const { median } = await measureWarmPreviews(page, first, {
    device: `webgpu (${adapter?.architecture || "unknown"} adapter)`,
    downloadedBytes: Number(await status.getAttribute("data-downloaded-bytes")),
    resultFile: "tts-preview-webgpu-e2e.json",
  });
  test.info().annotations.push({ type: "preview first audio (median, warm)", description: `${median} ms` });
  await expectNoAxeViolations(page);
});
