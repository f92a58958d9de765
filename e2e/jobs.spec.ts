import { expect, expectNoAxeViolations, test } from "./fixtures";
import { screenshotBothThemes } from "./screenshots";

// Long enough that the job runs for a while on the CPU, so its progress is seen moving.
const LONG_TEXT = Array.from(
  { length: 120 },
  (_, i) => `This is sentence number ${i + 1} of a long text that Parla speaks as a background job.`,
).join(" ");

/**
 * Jobs that must still be running or waiting when the test cancels them, seconds later: the
 * first test's text can finish in that time on a fast machine. Three of these (27,611 characters
 * each) stay inside the free plan's daily speech characters.
 */
// Long enough (about 30,700 characters) that a job still runs while the test looks at the line,
// and three of them stay under the free plan's 100,000 characters a day.
const QUEUED_TEXT = Array.from(
  { length: 400 },
  (_, i) => `This is sentence number ${i + 1} of a long text that waits its turn in the queue.`,
).join(" ");

test("a long speech job shows moving progress, finishes, is shared, and the link opens without an account", async ({
  page,
  auth,
  account,
  browser,
}) => {
  // The job alone may take up to two minutes on a busy 2-core machine (its wait below), and the
  // studio now also plays it live while it is made (an MP3 encoder beside the worker).
  test.setTimeout(240_000);
  await auth.signUp(account);
  await expect(page.getByTestId("home-title")).toContainText("Welcome");

  // The session cookie alone does not let another site write: a cross-site POST is refused.
  const forged = await page.request.post("/api/jobs", {
    headers: { origin: "https://evil.example", "content-type": "application/json" },
    data: { kind: "speech", input: "forged" },
  });
  expect(forged.status()).toBe(403);

  await page.getByLabel("Text", { exact: true }).fill(LONG_TEXT);
  await page.getByLabel("Format").selectOption("wav");
  // Record every progress value the page shows, however briefly, from the moment the job appears.
  await page.evaluate(() => {
    const seen: number[] = [];
    Object.assign(window, { progressSeen: seen });
    new MutationObserver(() => {
      for (const bar of document.querySelectorAll('[role="progressbar"]')) {
        const value = bar.getAttribute("aria-valuenow");
        if (value !== null && seen.at(-1) !== Number(value)) seen.push(Number(value));
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.getByRole("button", { name: "Generate" }).click();

  const card = page.getByTestId("job-card").first();
  await expect(card.getByRole("progressbar")).toBeVisible();
  await expectNoAxeViolations(page);
  await expectNoAxeViolations(page);

  await expect(card).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
  // The bar moved: several values strictly between 0 and 100, each larger than the one before.
  const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
  const moving = seen.filter((value) => value > 0 && value < 100);
  expect(moving.length).toBeGreaterThanOrEqual(2);
  expect([...moving].sort((a, b) => a - b)).toEqual(moving);
  const audio = card.getByTestId("job-audio");
  await expect
    .poll(() => audio.evaluate((element: HTMLAudioElement) => element.duration || 0), { timeout: 15_000 })
    .toBeGreaterThan(1);

  await page.goto("/history");
  const historyCard = page.getByTestId("job-card").first();
  await expect(historyCard).toHaveAttribute("data-status", "succeeded");
  await historyCard.getByRole("button", { name: "Share" }).click();
  const shareUrl = await historyCard.getByTestId("share-url").inputValue();
  expect(shareUrl).toMatch(/\/r\/[A-Za-z0-9_-]{43}$/);
  await expectNoAxeViolations(page);
  await screenshotBothThemes(page, "history");

  // A stranger: a fresh browser context with no session.
  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  const response = await strangerPage.goto(shareUrl);
  expect(response?.status()).toBe(200);
  expect(response?.headers()["referrer-policy"]).toBe("no-referrer");
  expect(response?.headers()["x-robots-tag"]).toContain("noindex");
  expect(response?.headers()["cache-control"]).toContain("no-store");
  await expect(strangerPage.getByTestId("shared-title")).toHaveText("Shared speech");
  await expect
    .poll(
      () =>
        strangerPage
          .getByTestId("shared-audio")
          .evaluate((element: HTMLAudioElement) => element.duration || 0),
      { timeout: 15_000 },
    )
    .toBeGreaterThan(1);
  await expectNoAxeViolations(strangerPage);
  await screenshotBothThemes(strangerPage, "shared");

  // The owner revokes: the same link now answers 404 and says nothing more.
  await historyCard.getByRole("button", { name: "Revoke" }).click();
  await expect(historyCard.getByRole("status")).toHaveText("The link no longer works.");
  const revoked = await strangerPage.goto(shareUrl);
  expect(revoked?.status()).toBe(404);
  await stranger.close();
});

test("waiting jobs show their place in line, and every job says how long it is kept", async ({
  page,
  auth,
  account,
}) => {
  await auth.signUp(account);
  // The session cookie is set by the sign-up's redirect: wait for it before calling the API.
  await expect(page.getByTestId("home-title")).toContainText("Welcome");
  // Three long jobs at once on one worker: the first runs, the other two wait their turn.
  const ids = await page.evaluate(async (input) => {
    const created: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch("/api/jobs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ kind: "speech", input, format: "wav" }),
      });
      created.push(((await response.json()) as { id: string }).id);
    }
    return created;
  }, QUEUED_TEXT);
  expect(ids).toHaveLength(3);

  // The API says the same as the card: a 1-based position while queued, none once running.
  await expect
    .poll(() =>
      page.evaluate(
        async (jobIds) =>
          Promise.all(
            jobIds.map(
              async (id) =>
                ((await (await fetch(`/api/jobs/${id}`)).json()) as { position: number | null }).position,
            ),
          ),
        ids,
      ),
    )
    .toEqual([null, 1, 2]);

  await page.goto("/history");
  const card = (id: string) => page.locator(`[data-testid="job-card"][data-job-id="${id}"]`);
  await expect(card(ids[1] as string).getByTestId("job-stage")).toHaveText("1st in line");
  await expect(card(ids[2] as string).getByTestId("job-stage")).toHaveText("2nd in line");
  await expect(page.getByText("On the free plan, results are kept for 7 days")).toBeVisible();
  const keptUntil = new Date(Date.now() + 7 * 86_400_000).toLocaleDateString("en", {
    day: "numeric",
    month: "short",
    year: "numeric",
  });
  await expect(card(ids[0] as string).getByTestId("job-expiry")).toHaveText(`Kept until ${keptUntil}`);

  // The running job is canceled while it still runs (the slow accessibility scan comes after):
  // the line moves up on the page without a reload.
  await card(ids[0] as string)
    .getByRole("button", { name: "Cancel" })
    .click();
  await expect(card(ids[0] as string)).toHaveAttribute("data-status", "canceled");
  await expect(card(ids[2] as string).getByTestId("job-stage")).toHaveText("1st in line");
  await expectNoAxeViolations(page);
  for (const id of ids.slice(1)) await card(id).getByRole("button", { name: "Cancel" }).click();
  for (const id of ids) await expect(card(id)).toHaveAttribute("data-status", "canceled");
});
