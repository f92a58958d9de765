/**
 * The e2e server trusts one proxy hop (TRUST_PROXY_HOPS=1 in playwright.config.ts), as a real
 * deployment behind a reverse proxy does: the last X-Forwarded-For entry is the client. Giving
 * each test (and each identity in it) its own address keeps per-IP limits, such as five
 * sign-ins a minute, per simulated client instead of shared by the whole suite on 127.0.0.1.
 */
import { randomInt } from "node:crypto";

export function randomClientAddress(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

export const asClient = (address = randomClientAddress()) => ({ "x-forwarded-for": address });
