/**
 * How every e2e browser starts: Debian's Chromium (Playwright never downloads one here), with the
 * background networking a closed network refuses turned off.
 */
import type { LaunchOptions } from "@playwright/test";

export const CHROMIUM_LAUNCH_OPTIONS = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
} satisfies LaunchOptions;

/**
 * The same browser with WebGPU exposed. Headless Chromium on a machine without a GPU then hands
 * out SwiftShader's adapter (Vulkan on the CPU): the real WebGPU code path, at CPU speed.
 */
export const CHROMIUM_WEBGPU_LAUNCH_OPTIONS = {
  ...CHROMIUM_LAUNCH_OPTIONS,
  args: [...CHROMIUM_LAUNCH_OPTIONS.args, "--enable-unsafe-webgpu"],
} satisfies LaunchOptions;
