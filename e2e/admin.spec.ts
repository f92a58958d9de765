import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, expectNoAxeViolations, test } from "./fixtures";
import { AuthPage } from "./pages/auth-page";
import { screenshotBothThemes } from "./screenshots";

/** The operator CLI against the running app's own data folder, as an operator would run it. */
function parla(...args: string[]): string {
  return execFileSync("npx", ["tsx", "scripts/parla.ts", ...args], {
    env: { ...process.env, DATA_DIR: process.env.PARLA_E2E_DATA_DIR, LOG_LEVEL: "silent" },
    encoding: "utf8",
  });
}

async function expectAxeCleanInBothThemes(page: Page) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoAxeViolations(page);
  }
  await page.emulateMedia({ colorScheme: "light" });
}

test("an admin sees limits, queue and accounts, blocks and unblocks an account and a network, all audited", async ({
  page,
  auth,
  account,
  browser,
  playwright,
  baseURL,
}) => {
  // Four operator commands (a few seconds each) and a block left to expire.
  test.setTimeout(240_000);
  // A plain user: no admin page (404) and no admin API (403).
  await auth.signUp(account);
  await expect(page.getByTestId("home-title")).toHaveText(`Welcome, ${account.name}`);
  expect((await page.goto("/admin"))?.status()).toBe(404);
  expect((await page.request.get("/api/admin/limits")).status()).toBe(403);
  expect((await page.request.get("/api/admin/users")).status()).toBe(403);
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);

  // Nobody signed in: the page sends them to sign in, the API asks for credentials.
  const anonymous = await browser.newContext({ baseURL });
  const stranger = await anonymous.newPage();
  await stranger.goto("/admin");
  await expect(stranger).toHaveURL(/\/login\?next=%2Fadmin$/);
  expect((await stranger.request.get("/api/admin/blocks")).status()).toBe(401);
  await anonymous.close();

  // The first admin comes from the command line.
  const admin = { email: `admin-${randomUUID()}@example.com`, password: "an admin's long password" };
  parla("user:create", "--email", admin.email, "--password", admin.password, "--admin");
  const adminContext = await browser.newContext({ baseURL });
  const adminPage = await adminContext.newPage();
  await new AuthPage(adminPage).signIn(admin.email, admin.password);
  await adminPage.getByRole("link", { name: "Admin" }).click();
  await expect(adminPage.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
  await expect(adminPage.getByTestId("queue-state")).toContainText("Waiting");
  await expect(adminPage.getByRole("region", { name: "Rate limits" })).toContainText("speech");
  await expect(adminPage.getByRole("region", { name: "Limits per tier" })).toContainText(
    "Speech characters per day",
  );
  const userRow = adminPage.locator(`[data-testid="user-row"][data-email="${account.email}"]`);
  await expect(userRow).toBeVisible();
  await expectAxeCleanInBothThemes(adminPage);

  // Block the user's account from the page: their very next request is refused, until it is lifted.
  await adminPage.getByRole("button", { name: `Block ${account.email}` }).click();
  await expect(adminPage.getByRole("button", { name: `Unblock ${account.email}` })).toBeVisible();
  const refused = await page.request.get("/api/jobs");
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ error: { code: "forbidden:blocked", blockedUntil: null } });
  await page.goto("/history");
  await expect(page).toHaveURL(/\/blocked$/);
  await expect(page.getByTestId("blocked-until")).toContainText("until an administrator lifts it");
  await expectNoAxeViolations(page);

  await adminPage.getByRole("button", { name: `Unblock ${account.email}` }).click();
  await expect(adminPage.getByRole("button", { name: `Block ${account.email}` })).toBeVisible();
  expect((await page.request.get("/api/jobs")).status()).toBe(200);

  // Move the user to pro from the page.
  await userRow.getByLabel(`Tier of ${account.email}`).selectOption("pro");
  await userRow.getByRole("button", { name: `Save ${account.email}` }).click();
  await expect(userRow.getByRole("status")).toHaveText(`Saved ${account.email}: user, pro`);

  // Block every address this test connects from, through the API with an admin key: refused at once.
  const keyLine = parla("key:create", "--email", admin.email, "--scopes", "admin")
    .split("\n")
    .find((line) => line.startsWith("parla_"));
  const api = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${keyLine}` },
  });
  try {
    const created = await api.post("/api/admin/blocks", {
      data: { kind: "network", target: "127.0.0.0/8", reason: "e2e", expiresInSeconds: 15 },
    });
    expect(created.status()).toBe(201);
    const { expiresAt } = (await created.json()) as { expiresAt: string };
    const blocked = await api.get("/api/admin/limits");
    expect(blocked.status()).toBe(403);
    expect(await blocked.json()).toMatchObject({
      error: { code: "forbidden:blocked", blockedUntil: expiresAt },
    });
    // Pages too, for a caller that sends no X-Forwarded-For (the address is the socket's; an
    // explicit empty header set, since Playwright otherwise applies the suite's per-test one).
    const anonymous = await playwright.request.newContext({ baseURL, extraHTTPHeaders: {} });
    expect((await anonymous.get("/")).status()).toBe(403);
    await anonymous.dispose();
    // It expires by itself.
    await expect
      .poll(async () => (await api.get("/api/admin/limits")).status(), { timeout: 40_000 })
      .toBe(200);
  } finally {
    try {
      parla("block:remove", "--ip", "127.0.0.0/8");
    } catch {
      // Already expired: nothing to lift.
    }
    await api.dispose();
  }

  // Every action is in the audit log, with who did it and from where.
  await adminPage.reload();
  const log = adminPage.getByRole("region", { name: "Audit log" });
  await expect(log).toContainText("127.0.0.0/8");
  const actions = log.getByTestId("audit-entry");
  await expect(actions.filter({ hasText: "block.add" }).filter({ hasText: account.email })).toHaveCount(1);
  await expect(actions.filter({ hasText: "block.remove" }).filter({ hasText: account.email })).toHaveCount(1);
  await expect(actions.filter({ hasText: "user.tier" }).filter({ hasText: account.email })).toHaveCount(1);
  await expect(actions.filter({ hasText: admin.email }).first()).toContainText("127.0.0.1");
  await expectAxeCleanInBothThemes(adminPage);
  await screenshotBothThemes(adminPage, "admin");
  await adminContext.close();
});
