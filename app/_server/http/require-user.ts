/** The authoritative auth check for API routes: 401 with WWW-Authenticate when nobody is signed in. */
import { currentUser, type SessionUser } from "@/app/_server/auth/session";
import { ApiError } from "@/lib/errors";

export async function requireApiUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) {
    throw new ApiError("unauthorized", "auth", "Sign in or send an API key", undefined, {
      "WWW-Authenticate": 'Bearer realm="parla"',
    });
  }
  return user;
}
