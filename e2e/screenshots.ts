/** README screenshots, taken by the e2e suite itself in light and dark. */
import type { Locator, Page } from "@playwright/test";

export async function screenshotBothThemes(page: Page, name: string) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `docs/screenshots/${name}-${colorScheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/** One part of a page (a card), in light and dark, for README close-ups. */
export async function screenshotElementBothThemes(locator: Locator, name: string) {
  const page = locator.page();
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await locator.screenshot({ path: `docs/screenshots/${name}-${colorScheme}.png` });
  }
  await page.emulateMedia({ colorScheme: "light" });
}
