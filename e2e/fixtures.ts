/** Shared e2e fixtures: page objects, fresh identities and an axe check that fails on any violation. */
import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";
import { asClient } from "./helpers/client-address";
import { AuthPage } from "./pages/auth-page";

export interface Account {
  email: string;
  password: string;
  name: string;
}

export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
  ).toEqual([]);
}

export const test = base.extend<{ auth: AuthPage; account: Account }>({
  // Each test is its own client (see helpers/client-address.ts), so per-IP limits are per test.
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures destructure their dependencies.
  extraHTTPHeaders: async ({}, use) => use(asClient()),
  auth: async ({ page }, use) => use(new AuthPage(page)),
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures destructure their dependencies.
  account: async ({}, use) =>
    use({ email: `e2e-${randomUUID()}@example.com`, password: "a long e2e password", name: "Ada" }),
});

export { expect };
