import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, expectNoAxeViolations, test } from "./fixtures";
import { toneWav, undecodableFlac } from "./helpers/make-audio";
import { TranscriptViewPage } from "./pages/transcript-view";
import { screenshotBothThemes } from "./screenshots";

const MIRROR = process.env.MODEL_MIRROR_DIR ?? path.resolve("../shared/models");
const RECORDING = path.join(MIRROR, "test", "whisper-tiny-random", "jfk_16k.wav");

test("a recording is checked in the browser, transcribed as a job, and its subtitles download", async ({
  page,
  auth,
  account,
}) => {
  await auth.signUp(account);
  const picker = page.getByLabel(/Drop a recording here/);
  const problem = page.getByTestId("upload-error");
  const transcribe = page.getByRole("button", { name: "Transcribe" });

  // A web page named like audio is refused before anything is uploaded.
  await picker.setInputFiles({
    name: "song.wav",
    mimeType: "audio/wav",
    buffer: Buffer.from("<!DOCTYPE html><html>"),
  });
  await expect(problem).toContainText("web page");
  await expect(transcribe).toBeDisabled();

  // FLAC by its magic bytes, but what follows is not audio: the browser's decoder says so.
  await picker.setInputFiles(undecodableFlac());
  await expect(problem).toHaveText(
    "The file could not be decoded as audio: it may be damaged or cut short, or its codec is one this browser cannot play",
  );
  await expect(transcribe).toBeDisabled();

  // Real audio, small, but longer than the free tier allows.
  await picker.setInputFiles(toneWav(100));
  await expect(problem).toHaveText("The recording is 100 s long; the limit is 90 s");
  await expect(transcribe).toBeDisabled();

  await picker.setInputFiles(RECORDING);
  await expect(problem).toHaveCount(0);
  await expect(page.getByTestId("check-status")).toHaveText("jfk_16k.wav · 0:11 · 343.8 KB · ready to send");
  await page.getByLabel("Spoken language", { exact: true }).selectOption("en");
  await page.getByText("More options").click();
  await page.getByLabel("Word timestamps too").check();
  await page.getByLabel("Initial prompt (optional)").fill("Ask not what your country can do for you.");
  await transcribe.click();

  const card = page.getByTestId("job-card").first();
  await expect(card).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });
  const view = new TranscriptViewPage(card.getByTestId("transcript-view"));
  await expect(view.root.getByTestId("transcript-meta")).toContainText(/^English · 0:11 · \d+ segments?$/);
  await expectNoAxeViolations(page);
  await screenshotBothThemes(page, "transcription");

  const download = page.waitForEvent("download");
  await view.root.getByRole("link", { name: "Subtitles (.srt)" }).click();
  const srt = await (await download).path();
  expect(readFileSync(srt, "utf8")).toMatch(/^1\r?\n00:00:\d\d,\d{3} --> 00:00:\d\d,\d{3}/);
});
