/** Page object for sign-up, sign-in, sign-out and the account page. */
import type { Page } from "@playwright/test";
import type { Account } from "../fixtures";

export class AuthPage {
  constructor(readonly page: Page) {}

  async signUp(account: Account) {
    await this.page.goto("/register");
    await this.page.getByLabel("Name (optional)").fill(account.name);
    await this.page.getByLabel("Email").fill(account.email);
    await this.page.getByLabel("Password").fill(account.password);
    await this.page.getByRole("button", { name: "Create account" }).click();
  }

  async signIn(email: string, password: string) {
    await this.page.goto("/login");
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  async signOut() {
    await this.page.getByRole("button", { name: "Sign out" }).click();
  }

  async deleteAccount() {
    await this.page.goto("/account");
    await this.page.getByLabel('Type "delete my account" to confirm').fill("delete my account");
    await this.page.getByRole("button", { name: "Delete my account and data" }).click();
  }
}
