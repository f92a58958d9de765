/**
 * The studio plays a speech job while it is made: after Generate the live player starts on the
 * job's MP3 stream with its first sentence, and when the job ends the finished file's waveform
 * player carries on from the same position; the file then downloads. The random-weight Kokoro
 * fixture speaks (noise, real plumbing). What the page saw is recorded by the page itself: the
 * job's status fetched the moment live audio started playing, so "before the job finished" is
 * a fact about the job, not a race between timers.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { expect, expectNoAxeViolations, test } from "./fixtures";
import { decodeAudio } from "./helpers/decode-audio";
import { screenshotElementBothThemes } from "./screenshots";

// Long enough that the job runs for many seconds after its first sentence is heard.
const LONG_TEXT = Array.from(
  { length: 60 },
  (_, i) => `Sentence ${i + 1} is heard in the studio while the sentences after it are still being made.`,
).join(" ");

interface LiveRecord {
  clickedAt: number;
  /** The job as GET /api/jobs/:id answered right after the live audio's first 'playing' event. */
  atPlaying: { status: string; progress: number; ms: number } | null;
  lastLiveTime: number;
  /** Where the finished file's player was put when it took over. */
  seekedTo: number | null;
}

test.describe.configure({ timeout: 300_000 });

test("Generate plays the job while it is made, then the finished file carries on and downloads", async ({
  page,
  auth,
  account,
}) => {
  await auth.signUp(account);
  await page.getByLabel("Text", { exact: true }).fill(LONG_TEXT);

  // Media events do not bubble, but a capturing listener on the document sees them all.
  await page.evaluate(() => {
    const record: LiveRecord = { clickedAt: 0, atPlaying: null, lastLiveTime: 0, seekedTo: null };
    Object.assign(window, { liveRecord: record });
    const isLive = (target: EventTarget | null) =>
      target instanceof HTMLAudioElement && target.dataset.testid === "live-audio";
    document.addEventListener(
      "playing",
      async (event) => {
        if (!isLive(event.target) || record.atPlaying) return;
        const ms = performance.now() - record.clickedAt;
        const id = (event.target as Element).closest("[data-job-id]")?.getAttribute("data-job-id");
        const job = (await (await fetch(`/api/jobs/${id}`)).json()) as { status: string; progress: number };
        record.atPlaying = { status: job.status, progress: job.progress, ms };
      },
      true,
    );
    document.addEventListener(
      "timeupdate",
      (event) => {
        if (isLive(event.target)) record.lastLiveTime = (event.target as HTMLAudioElement).currentTime;
      },
      true,
    );
    document.addEventListener(
      "seeked",
      (event) => {
        const target = event.target as HTMLElement;
        if (target.dataset.testid === "job-audio" && record.seekedTo === null)
          record.seekedTo = (target as HTMLAudioElement).currentTime;
      },
      true,
    );
  });
  const record = () => page.evaluate(() => (window as unknown as { liveRecord: LiveRecord }).liveRecord);

  const liveResponse = page.waitForResponse((response) => /\/api\/jobs\/[^/]+\/audio$/.test(response.url()));
  await page.evaluate(() => {
    (window as unknown as { liveRecord: LiveRecord }).liveRecord.clickedAt = performance.now();
  });
  await page.getByRole("button", { name: "Generate" }).click();

  const card = page.getByTestId("job-card").first();
  const jobId = (await card.getAttribute("data-job-id")) ?? "";
  const response = await liveResponse;
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("audio/mpeg");

  const live = card.getByTestId("live-player");
  await expect(live).toHaveAttribute("data-state", "playing", { timeout: 60_000 });
  await expect(live).toContainText("Playing while generating");
  await expect(card.getByRole("progressbar")).toBeVisible();
  // The audio was playing while the job was still running: the page asked the job the moment
  // playback began, and the job had not finished.
  await expect.poll(async () => (await record()).atPlaying, { timeout: 10_000 }).not.toBeNull();
  const atPlaying = (await record()).atPlaying;
  expect(atPlaying?.status).toBe("running");
  expect(atPlaying?.progress).toBeLessThan(1);
  const liveAudio = card.getByTestId("live-audio");
  await expect
    .poll(() => liveAudio.evaluate((element: HTMLAudioElement) => element.currentTime))
    .toBeGreaterThan(0);

  // By keyboard: the live player's button pauses and resumes, and says which it will do.
  const pause = card.getByRole("button", { name: /^Pause live audio of Speech/ });
  await pause.focus();
  await page.keyboard.press("Enter");
  await expect(live).toHaveAttribute("data-state", "paused");
  await expect(live).toContainText("Paused · still generating");
  await card.getByRole("button", { name: /^Play live audio of Speech/ }).press("Enter");
  await expect(live).toHaveAttribute("data-state", "playing");

  await expectNoAxeViolations(page);
  await screenshotElementBothThemes(card, "studio-live");

  // The job ends: the finished file's player takes over where the live audio was, still playing.
  await expect(card).toHaveAttribute("data-status", "succeeded", { timeout: 240_000 });
  await expect(live).toHaveCount(0);
  const finished = card.getByTestId("job-audio");
  await expect.poll(async () => (await record()).seekedTo, { timeout: 15_000 }).not.toBeNull();
  const { seekedTo, lastLiveTime } = await record();
  expect(seekedTo).toBeGreaterThan(0);
  expect(Math.abs((seekedTo ?? 0) - lastLiveTime)).toBeLessThan(1);
  await expect
    .poll(() => finished.evaluate((element: HTMLAudioElement) => (element.paused ? 0 : element.currentTime)))
    .toBeGreaterThan(seekedTo ?? 0);
  await expectNoAxeViolations(page);

  // The finished file downloads and is the whole speech.
  const job = (await (await page.request.get(`/api/jobs/${jobId}`)).json()) as {
    result: { durationSeconds: number; files: { name: string }[] };
  };
  const name = job.result.files[0]?.name ?? "";
  const download = page.waitForEvent("download");
  await card.getByRole("link", { name: `Download ${name}` }).click();
  const saved = await (await download).path();
  const decoded = decodeAudio(new Uint8Array(readFileSync(saved)), name);
  expect(decoded.codec).toBe("mp3");
  expect(Math.abs(decoded.seconds - job.result.durationSeconds)).toBeLessThan(0.2);
  expect(decoded.seconds).toBeGreaterThan(seekedTo ?? 0);

  const numbers = {
    text_chars: LONG_TEXT.length,
    click_to_live_playing_ms: Math.round(atPlaying?.ms ?? 0),
    job_progress_when_playing: atPlaying?.progress,
    live_seconds_played_at_switch: seekedTo,
    audio_seconds: job.result.durationSeconds,
  };
  console.log(`studio live numbers: ${JSON.stringify(numbers)}`);
  mkdirSync("bench-results", { recursive: true });
  writeFileSync("bench-results/studio-live-e2e.json", `${JSON.stringify(numbers, null, 2)}\n`);
});
