import { expect, expectNoAxeViolations, test } from "./fixtures";
import { screenshotBothThemes } from "./screenshots";

test("a person signs up, signs out, fails and then succeeds to sign in, and deletes the account", async ({
  page,
  auth,
  account,
}) => {
  await page.goto("/register");
  await expectNoAxeViolations(page);
  await screenshotBothThemes(page, "sign-up");

  await auth.signUp(account);
  await expect(page.getByTestId("home-title")).toHaveText(`Welcome, ${account.name}`);
  await expectNoAxeViolations(page);

  await auth.signOut();
  await expect(page.getByTestId("notice")).toHaveText("You are signed out.");
  await expectNoAxeViolations(page);

  await auth.signIn(account.email, "not the right password");
  await expect(page.getByTestId("form-error")).toHaveText("Wrong email or password.");
  await expect(page.getByLabel("Email")).toHaveValue(account.email);
  await expectNoAxeViolations(page);
  await screenshotBothThemes(page, "sign-in-error");

  await auth.signIn(account.email, account.password);
  await expect(page.getByTestId("home-title")).toHaveText(`Welcome, ${account.name}`);

  await page.goto("/account");
  await expect(page.getByTestId("account-email")).toContainText(account.email);
  await expectNoAxeViolations(page);
  await screenshotBothThemes(page, "account");

  await auth.deleteAccount();
  await expect(page.getByTestId("notice")).toHaveText("Your account and everything it owned were deleted.");
  await auth.signIn(account.email, account.password);
  await expect(page.getByTestId("form-error")).toHaveText("Wrong email or password.");
});

test("sign-up names each invalid field", async ({ page, auth, account }) => {
  await auth.signUp({ ...account, email: "not-an-email", password: "short" });
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await expect(page.getByText("Password must be at least 10 characters")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
});

test("the account page needs a session and every page carries a nonce CSP", async ({ page }) => {
  const response = await page.goto("/account");
  expect(new URL(page.url()).pathname).toBe("/login");
  expect(new URL(page.url()).searchParams.get("next")).toBe("/account");
  const csp = response?.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toContain("unsafe-inline' ;");
  expect(csp).toContain("frame-ancestors 'none'");
  for (const path of ["/", "/register", "/no-such-page"]) {
    const other = await page.goto(path);
    expect(other?.headers()["content-security-policy"]).toContain("'strict-dynamic'");
  }
});
