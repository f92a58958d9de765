/**
 * The cast of the authorization matrix: the owner of a job, another user, an admin (made with
 * `npm run parla -- user:create --admin`, as operators make one), and the owner's API keys:
 * one with every scope, a revoked one, and for each scope one that lacks it. Every identity
 * connects from its own client address.
 */
import { randomUUID } from "node:crypto";
import type { APIRequestContext, Browser, BrowserContext } from "@playwright/test";
import type { ApiKeyScope } from "@/lib/schemas/api-keys";
import { AuthPage } from "../pages/auth-page";
import { asClient } from "./client-address";
import { createApiKey, parla } from "./parla-cli";

const PASSWORD = "a long e2e password";

export interface SignedIn {
  email: string;
  context: BrowserContext;
  request: APIRequestContext;
}

async function signedIn(
  browser: Browser,
  email: string,
  create: "register" | "cli-admin",
): Promise<SignedIn> {
  const context = await browser.newContext({ extraHTTPHeaders: asClient() });
  const auth = new AuthPage(await context.newPage());
  if (create === "register") await auth.signUp({ email, password: PASSWORD, name: "Matrix" });
  else {
    parla("user:create", "--email", email, "--password", PASSWORD, "--admin");
    await auth.signIn(email, PASSWORD);
  }
  // Signed in once the session cookie is set.
  for (let tries = 0; tries < 100; tries++) {
    if ((await context.cookies()).some((cookie) => cookie.name.endsWith("authjs.session-token"))) {
      return { email, context, request: context.request };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${email} did not get a session`);
}

export interface Cast {
  owner: SignedIn;
  other: SignedIn;
  admin: SignedIn;
  keys: {
    all: string;
    revoked: string;
    /** For a route that needs scope S: the owner's key with every scope but S. */
    without: Record<ApiKeyScope, string>;
  };
  close(): Promise<void>;
}

export async function createCast(browser: Browser): Promise<Cast> {
  const email = (who: string) => `e2e-${who}-${randomUUID()}@example.com`;
  const [owner, other, admin] = await Promise.all([
    signedIn(browser, email("owner"), "register"),
    signedIn(browser, email("other"), "register"),
    signedIn(browser, email("admin"), "cli-admin"),
  ]);
  const revoked = createApiKey(owner.email, ["speech", "transcription", "results"]);
  parla("key:revoke", "--key", revoked);
  return {
    owner,
    other,
    admin,
    keys: {
      all: createApiKey(owner.email, ["speech", "transcription", "results"]),
      revoked,
      without: {
        speech: createApiKey(owner.email, ["transcription", "results"]),
        transcription: createApiKey(owner.email, ["speech", "results"]),
        results: createApiKey(owner.email, ["speech", "transcription"]),
      },
    },
    async close() {
      await Promise.all([owner.context.close(), other.context.close(), admin.context.close()]);
    },
  };
}
