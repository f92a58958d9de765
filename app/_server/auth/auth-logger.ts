/**
 * next-auth's own errors and warnings as structured log lines. Its default logger prints every
 * refused sign-in and every stale or tampered session cookie as a multi-line stack trace, which
 * buried real errors in noise; here those expected refusals are one warning naming their type.
 * Only the error's type is kept for them, and for the rest its name and message (Auth.js writes
 * no request data into them): never a cookie, a token or what a person typed.
 */
import type { NextAuthConfig } from "next-auth";
import type { Logger } from "pino";
import { getConfig } from "@/lib/node/config";
import { createLogger } from "@/lib/node/logger";

type AuthLogger = NonNullable<NextAuthConfig["logger"]>;

/** What visitors cause by mistake or on purpose: a wrong password, a cookie that no longer decrypts. */
const EXPECTED_ERROR_TYPES = new Set(["CredentialsSignin", "JWTSessionError"]);

let logger: Logger | undefined;
const log = () => (logger ??= createLogger({ name: "parla-auth", level: getConfig().logLevel }));

export const authLogger: AuthLogger = {
  error(error) {
    const type = "type" in error && typeof error.type === "string" ? error.type : error.name;
    if (EXPECTED_ERROR_TYPES.has(type)) log().warn({ type }, "auth refused a request");
    else log().error({ type, message: error.message }, "auth error");
  },
  warn(code) {
    log().warn({ code }, "auth warning");
  },
  debug() {
    // Auth.js's debug output holds request details (cookies, profiles): never logged.
  },
};
