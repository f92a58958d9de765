/** API key scopes: what a key may do. Isomorphic, so the account page and the CLI share it. */
import { z } from "zod";

export const API_KEY_SCOPES = ["speech", "transcription", "results"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A comma-separated scope list (deduplicated, at least one) drawn from `allowed`. */
function scopeListSchema<const T extends readonly [string, ...string[]]>(allowed: T) {
  return z
    .string()
    .transform((value) => [
      ...new Set(
        value
          .split(",")
          .map((scope) => scope.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.enum(allowed, { error: `must be among ${allowed.join(", ")}` })).min(1));
}

export const apiKeyScopesSchema = scopeListSchema(API_KEY_SCOPES);

/** `parla_` + 8 visible characters + `_` + 43 secret ones (256 bits). */
export const API_KEY_PATTERN = /^parla_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/;

/**
 * The admin scope: lets a key call /api/admin/*. Never offered on the account page; only
 * `key:create` grants it, and only to an admin's key. Every use re-checks that the key's owner
 * is still an admin, so demoting a person disarms their admin keys at once.
 */
export const ADMIN_API_KEY_SCOPE = "admin";
export type AnyApiKeyScope = ApiKeyScope | typeof ADMIN_API_KEY_SCOPE;
const ANY_SCOPES = [...API_KEY_SCOPES, ADMIN_API_KEY_SCOPE] as const;

/** Scopes as the operator command line accepts them (the admin scope included). */
export const operatorApiKeyScopesSchema = scopeListSchema(ANY_SCOPES);
