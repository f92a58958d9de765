import path from "node:path";
import { expect, expectNoAxeViolations, test } from "./fixtures";
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

  // A web page named like audio is refused before anything is uploaded.
  await picker.setInputFiles({
    name: "song.wav",
    mimeType: "audio/wav",
    buffer: Buffer.from("<!DOCTYPE html><html>"),
  });
  await expect(page.getByTestId("upload-error")).toContainText("web page");
  await expect(page.getByRole("button", { name: "Transcribe" })).toBeDisabled();

  await page.getByLabel(/Drop a recording here|song\.wav/).setInputFiles(RECORDING);
  await expect(page.getByTestId("upload-error")).toHaveCount(0);
  await page.getByRole("button", { name: "Transcribe" }).click();

  const card = page.getByTestId("job-card").first();
  await expect(card).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });
  await expect(card.getByTestId("job-text")).toBeVisible();
  await expectNoAxeViolations(page);
  await screenshotBothThemes(page, "transcription");

  const download = page.waitForEvent("download");
  await card.getByRole("link", { name: "Download transcript.srt" }).click();
  const srt = await (await download).path();
  const { readFileSync } = await import("node:fs");
  expect(readFileSync(srt, "utf8")).toMatch(/^1\r?\n00:00:\d\d,\d{3} --> 00:00:\d\d,\d{3}/);
});
