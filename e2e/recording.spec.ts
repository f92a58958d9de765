/**
 * The microphone path in real Chromium: its fake capture device plays a spoken WAV made with
 * espeak-ng, so a real MediaRecorder records real audio. The transcript is noise (random-weight
 * Whisper), so only structure and behaviour are asserted, never its words.
 */
import { readFileSync } from "node:fs";
import type { Browser, Page } from "@playwright/test";
import { type Account, expect, expectNoAxeViolations, test } from "./fixtures";
import { spokenWav } from "./helpers/make-audio";
import { AuthPage } from "./pages/auth-page";
import { TranscriptViewPage } from "./pages/transcript-view";
import { screenshotBothThemes } from "./screenshots";

/** How far before its target a seek in a cue-less WebM may land (see the seek checks). */
const SEEK_SLACK = 0.25;

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const BASE_ARGS = ["--no-sandbox", "--disable-quic", "--no-first-run", "--disable-background-networking"];

async function launch(playwright: { chromium: { launch: (o: object) => Promise<Browser> } }, args: string[]) {
  return playwright.chromium.launch({ executablePath: CHROMIUM, args: [...BASE_ARGS, ...args] });
}

/** Remembers every value an ARIA meter or progress bar shows, however briefly. */
async function watchValues(page: Page) {
  await page.evaluate(() => {
    const seen: Record<string, number[]> = {};
    Object.assign(window, { valuesSeen: seen });
    new MutationObserver(() => {
      for (const element of document.querySelectorAll("[role=meter],[role=progressbar]")) {
        const label = element.getAttribute("aria-label") ?? "";
        const value = element.getAttribute("aria-valuenow");
        const list = seen[label] ?? [];
        seen[label] = list;
        if (value !== null && list.at(-1) !== Number(value)) list.push(Number(value));
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

async function valuesSeen(page: Page, label: RegExp): Promise<number[]> {
  const seen = await page.evaluate(
    () => (window as unknown as { valuesSeen: Record<string, number[]> }).valuesSeen,
  );
  return Object.entries(seen)
    .filter(([name]) => label.test(name))
    .flatMap(([, values]) => values);
}

async function expectNoAxeViolationsInBothThemes(page: Page) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoAxeViolations(page);
  }
  await page.emulateMedia({ colorScheme: "light" });
}

async function signedIn(browser: Browser, baseURL: string | undefined, account: Account) {
  const context = await browser.newContext({ baseURL, permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  await new AuthPage(page).signUp(account);
  await expect(page.getByTestId("home-title")).toContainText("Welcome");
  return page;
}

test("a recording from the microphone is metered, checked, uploaded with progress and read beside its audio", async ({
  playwright,
  baseURL,
  account,
}) => {
  test.setTimeout(240_000);
  const wav = spokenWav([
    "Hello from the microphone.",
    "This is a second sentence, after a pause.",
    "And a third one to finish.",
  ]);
  const browser = await launch(playwright, [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-audio-capture=${wav}`,
  ]);
  const page = await signedIn(browser, baseURL, account);
  await watchValues(page);

  // Record a few seconds: the timer counts against the free tier's 1:30 and the meter moves.
  await page.getByRole("button", { name: "Record", exact: true }).click();
  const timer = page.getByTestId("recording-timer");
  await expect(timer).toContainText("/ 1:30");
  await expect(page.getByRole("meter", { name: "Microphone level" })).toBeVisible();
  await expectNoAxeViolations(page);
  await expect(timer).toContainText(/0:0[4-9] \//, { timeout: 20_000 });
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByRole("meter")).toHaveCount(0);
  const levels = await valuesSeen(page, /^Microphone level$/);
  expect(Math.max(...levels)).toBeGreaterThan(30);
  expect(new Set(levels).size).toBeGreaterThanOrEqual(3);

  // The recording went through the same checks as a chosen file: it decoded, with a duration.
  const status = page.getByTestId("check-status");
  await expect(status).toContainText(/^recording\.(webm|ogg) · 0:0[4-9] · [\d.]+ KB · ready to send$/);

  // Upload (bytes sent), then the job's own progress, then the transcript beside the audio.
  await page.getByRole("button", { name: "Transcribe" }).click();
  const card = page.getByTestId("job-card").first();
  await expect(card).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
  const uploaded = await valuesSeen(page, /^Upload of recording/);
  expect(uploaded.at(-1)).toBe(100);
  expect(uploaded.length).toBeGreaterThanOrEqual(2);
  const view = new TranscriptViewPage(card.getByTestId("transcript-view"));
  await expect(view.segments.first()).toBeVisible();
  await expect(view.root.getByTestId("transcript-meta")).toContainText(/\d+ segments?/);
  await expect
    .poll(() => view.audio.evaluate((a: HTMLAudioElement) => a.readyState))
    .toBeGreaterThanOrEqual(1);

  // Clicking a segment seeks to its start and plays; Enter on a focused one does the same. The
  // noise model also times segments past the recording's end, where no player can seek: those
  // are left out here.
  const starts = await view.segmentStarts();
  const ends = await view.segmentEnds();
  const duration = await view.audio.evaluate((a: HTMLAudioElement) => a.duration);
  const inside = starts.flatMap((start, index) => (start < duration - 0.25 ? [index] : []));
  expect(inside.length).toBeGreaterThanOrEqual(1);
  const last = inside.at(-1) ?? 0;
  const lastStart = starts[last] ?? 0;
  const firstStart = starts[0] ?? 0;
  await view.placePlayhead(lastStart > 1 ? 0 : Math.min(2, duration - 0.1));
  await view.segments.nth(last).click();
  // A MediaRecorder WebM has no cues, so Chromium lands a seek within a block of the target
  // (tens of milliseconds early at most): SEEK_SLACK allows for that, never for a missed seek.
  await expect.poll(() => view.currentTime()).toBeGreaterThanOrEqual(lastStart - SEEK_SLACK);
  expect(await view.currentTime()).toBeLessThan(lastStart + 1.5);
  await view.placePlayhead(firstStart > 1 ? 0 : Math.min(2, duration - 0.1));
  await view.segments.first().focus();
  await page.keyboard.press("Enter");
  await expect.poll(() => view.currentTime()).toBeGreaterThanOrEqual(firstStart - SEEK_SLACK);
  expect(await view.currentTime()).toBeLessThan(firstStart + 1.5);

  // The highlight follows the playhead: the marked segment is the one the playhead actually
  // stands in (where the seek landed), and none is marked in a gap.
  for (const index of inside.filter((i) => (ends[i] ?? 0) > (starts[i] ?? 0) + 0.05)) {
    await view.placePlayhead(((starts[index] ?? 0) + Math.min(ends[index] ?? 0, duration)) / 2);
    await expect
      .poll(async () => {
        const landed = await view.currentTime();
        const expected = starts.findLastIndex((start, i) => landed >= start && landed < (ends[i] ?? 0));
        const marked = await view.segments.evaluateAll((all) =>
          all.findIndex((segment) => segment.getAttribute("aria-current") === "true"),
        );
        return marked === expected;
      })
      .toBe(true);
  }

  // Every format downloads under its own name; the structured ones have the view's segments.
  const bodies: Record<string, string> = {};
  for (const [label, name] of [
    ["Text (.txt)", "transcript.txt"],
    ["Subtitles (.srt)", "transcript.srt"],
    ["Subtitles (.vtt)", "transcript.vtt"],
    ["JSON with timestamps (.json)", "transcript.json"],
  ] as const) {
    const download = page.waitForEvent("download");
    await view.root.getByRole("link", { name: label }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(name);
    bodies[name] = readFileSync(await file.path(), "utf8");
  }
  expect(bodies["transcript.vtt"]).toMatch(/^WEBVTT\n/);
  const json = JSON.parse(bodies["transcript.json"] ?? "") as { segments: { start: number }[] };
  expect(json.segments.map((segment) => segment.start)).toEqual(starts);
  const cues =
    (bodies["transcript.srt"] ?? "").match(/^\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}$/gm) ?? [];
  expect(cues.length).toBeLessThanOrEqual(starts.length);

  // Copy puts the same text as the .txt download on the clipboard.
  await view.root.getByRole("button", { name: "Copy text" }).click();
  await expect(view.root.getByRole("status")).toHaveText("Copied the text.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(bodies["transcript.txt"]?.trim());
  await expectNoAxeViolationsInBothThemes(page);

  // The history shows the same view, wide enough to sit beside the player; share it.
  await page.goto("/history");
  const historyView = new TranscriptViewPage(page.getByTestId("transcript-view").first());
  await expect(historyView.segments.first()).toBeVisible();
  await expectNoAxeViolationsInBothThemes(page);
  await screenshotBothThemes(page, "transcript");
  await historyView.root.getByRole("button", { name: "Share" }).click();
  const shareUrl = await historyView.root.getByTestId("share-url").inputValue();

  // A stranger reads it beside the recording, and seeks the same way.
  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto(shareUrl);
  await expect(stranger.getByTestId("shared-title")).toHaveText("Shared transcript");
  const shared = new TranscriptViewPage(stranger.getByTestId("transcript-view"));
  await expect(shared.segments).toHaveCount(starts.length);
  await expect
    .poll(() => shared.audio.evaluate((a: HTMLAudioElement) => a.readyState))
    .toBeGreaterThanOrEqual(1);
  await shared.placePlayhead(lastStart > 1 ? 0 : Math.min(2, duration - 0.1));
  await shared.segments.nth(last).click();
  await expect.poll(() => shared.currentTime()).toBeGreaterThanOrEqual(lastStart);
  await expect(shared.root.getByRole("link", { name: "Subtitles (.srt)" })).toBeVisible();
  await expect(shared.root.getByRole("button", { name: "Share" })).toHaveCount(0);
  await expectNoAxeViolationsInBothThemes(stranger);
  await screenshotBothThemes(stranger, "shared-transcript");
  await browser.close();
});

test("recording says clearly when the microphone is refused or missing, and discarding keeps nothing", async ({
  playwright,
  baseURL,
  account,
}) => {
  // A fake microphone exists, but the permission prompt is dismissed (no --use-fake-ui-for-media-stream).
  const refusing = await launch(playwright, ["--use-fake-device-for-media-stream"]);
  const page = await signedIn(refusing, baseURL, account);
  await page.getByRole("button", { name: "Record", exact: true }).click();
  await expect(page.getByTestId("recorder-error")).toHaveText(
    "Parla may not use the microphone. Allow microphone access for this site in your browser's settings, then press Record again.",
  );
  await expectNoAxeViolations(page);
  await refusing.close();

  // No capture device at all (this machine has no sound card), though permission is granted.
  const deviceless = await launch(playwright, []);
  const bare = await signedIn(deviceless, baseURL, { ...account, email: `bare-${account.email}` });
  await bare.context().grantPermissions(["microphone"]);
  await bare.getByRole("button", { name: "Record", exact: true }).click();
  await expect(bare.getByTestId("recorder-error")).toHaveText(
    "No microphone was found. Connect one, or choose one in your system's sound settings, then press Record again.",
  );
  await deviceless.close();

  // Permission granted, fake device on: discard while recording leaves no file behind.
  const granting = await launch(playwright, [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
  ]);
  const again = await signedIn(granting, baseURL, { ...account, email: `again-${account.email}` });
  await again.getByRole("button", { name: "Record", exact: true }).click();
  await expect(again.getByTestId("recording-timer")).toContainText(/0:0[1-9] \//);
  await again.getByRole("button", { name: "Discard" }).click();
  await expect(again.getByRole("button", { name: "Record", exact: true })).toBeEnabled();
  await expect(again.getByTestId("chosen-file")).toHaveCount(0);
  await expect(again.getByRole("button", { name: "Transcribe" })).toBeDisabled();
  await granting.close();
});
