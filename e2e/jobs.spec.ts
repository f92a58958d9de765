import { expect, expectNoAxeViolations, test } from "./fixtures";
import { screenshotBothThemes } from "./screenshots";

// Long enough that the job runs for a while on the CPU, so its progress is seen moving.
const LONG_TEXT = Array.from(
  { length: 40 },
  (_, i) => `This is sentence number ${i + 1} of a long text that Parla speaks as a background job.`,
).join(" ");

test("a long speech job shows moving progress, finishes, is shared, and the link opens without an account", async ({
  page,
  auth,
  account,
  browser,
}) => {
  await auth.signUp(account);
  await expect(page.getByTestId("home-title")).toContainText("Welcome");

  await page.getByLabel("Text", { exact: true }).fill(LONG_TEXT);
  await page.getByLabel("Format").selectOption("wav");
  await page.getByRole("button", { name: "Generate" }).click();

  const card = page.getByTestId("job-card").first();
  const bar = card.getByRole("progressbar");
  // Progress is reported while the job runs and grows before the job ends.
  await expect(bar).toHaveAttribute("aria-valuenow", /^([1-9]\d?)$/, { timeout: 60_000 });
  const first = Number(await bar.getAttribute("aria-valuenow"));
  await expect
    .poll(async () => Number((await bar.getAttribute("aria-valuenow").catch(() => "100")) ?? "100"), {
      timeout: 60_000,
    })
    .toBeGreaterThan(first);
  await expectNoAxeViolations(page);

  await expect(card).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
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
