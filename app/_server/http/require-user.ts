/**
 * The authoritative auth check for API routes: a session cookie, or `Authorization: Bearer`
 * with an API key. A missing or bad credential gets 401 with WWW-Authenticate; a valid key
 * without the route's scope gets 403. A request that sends a key is judged by the key alone.
 */

import { currentUser, type SessionUser } from "@/app/_server/auth/session";
import { assertCallerNotBlocked } from "@/app/_server/blocks/blocks";
import { getDatabase } from "@/app/_server/db/client";
import { authenticateApiKey } from "@/app/_server/db/queries/api-keys";
import { findUserById } from "@/app/_server/db/queries/users";
import { ApiError } from "@/lib/errors";
import type { AnyApiKeyScope } from "@/lib/schemas/api-keys";

export interface ApiCaller extends SessionUser {
  /** Set when the caller authenticated with an API key. */
  apiKeyId?: string;
}

const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="parla"' };

function unauthorized(message: string): ApiError {
  return new ApiError("unauthorized", "auth", message, undefined, CHALLENGE);
}

// Who each request turned out to be, for apiRoute's abuse strikes (a WeakMap: gone with the request).
const callers = new WeakMap<Request, ApiCaller>();

/** The caller requireApiUser resolved for this request, if it got that far. */
export function resolvedCaller(request: Request): ApiCaller | undefined {
  return callers.get(request);
}

/** Also refuses (403) a blocked account or API key, on the very request after the block. */
export async function requireApiUser(request?: Request, scope?: AnyApiKeyScope): Promise<ApiCaller> {
  const caller = await authenticate(request, scope);
  if (request) callers.set(request, caller);
  await assertCallerNotBlocked({ userId: caller.id, apiKeyId: caller.apiKeyId });
  return caller;
}

async function authenticate(request: Request | undefined, scope: AnyApiKeyScope | undefined) {
  const authorization = request?.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const db = await getDatabase();
    const key = match?.[1] ? await authenticateApiKey(db, match[1]) : undefined;
    const owner = key && (await findUserById(db, { id: key.userId }));
    if (!key || !owner) throw unauthorized("The API key is not valid or was revoked");
    if (scope && !key.scopes.includes(scope)) {
      throw new ApiError("forbidden", "auth", `This API key may not use ${scope}`);
    }
    return { id: owner.id, email: owner.email, name: owner.name, role: owner.role, apiKeyId: key.id };
  }
  const user = await currentUser();
  if (!user) throw unauthorized("Sign in or send an API key");
  return user as ApiCaller;
}
