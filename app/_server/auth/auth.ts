/**
 * next-auth v5: email + password (Credentials), GitHub and Google when configured, JWT sessions
 * in httpOnly cookies. Every auth() re-reads the account, so a deleted account or a changed
 * password ends its sessions at once.
 */
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { authLogger } from "@/app/_server/auth/auth-logger";
import { checkSignIn } from "@/app/_server/auth/sign-in";
import { getDatabase } from "@/app/_server/db/client";
import { findOrCreateOAuthUser, findUserById, type Role } from "@/app/_server/db/queries/users";
import { rateLimiter } from "@/app/_server/perimeter/rate-limit";
import { LIMITS } from "@/lib/limits";
import { getConfig } from "@/lib/node/config";
import { clientAddress } from "@/lib/rate-limit/identity";
import { signInSchema } from "@/lib/schemas/account";

declare module "next-auth" {
  interface Session {
    user: { id: string; role: Role; email: string; name?: string | null };
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    uid?: string;
    sv?: number;
    role?: Role;
  }
}

export class InvalidCredentials extends CredentialsSignin {
  override code = "invalid_credentials";
}

export class ThrottledSignIn extends CredentialsSignin {
  override code = "throttled";
}

function providers(): NextAuthConfig["providers"] {
  const { oauth, trustProxyHops } = getConfig();
  return [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) throw new InvalidCredentials();
        const ip = clientAddress(request.headers.get("x-forwarded-for"), trustProxyHops);
        const deps = { db: await getDatabase(), limiter: await rateLimiter() };
        const result = await checkSignIn(deps, { ...parsed.data, ip });
        if (result.ok) return { id: result.user.id, email: result.user.email, name: result.user.name };
        if (result.reason === "throttled" || result.reason === "unavailable") {
          const error = new ThrottledSignIn();
          error.code = `${result.reason}_${result.retryAfterSeconds}`;
          throw error;
        }
        throw new InvalidCredentials();
      },
    }),
    ...(oauth.github ? [GitHub({ clientId: oauth.github.id, clientSecret: oauth.github.secret })] : []),
    ...(oauth.google ? [Google({ clientId: oauth.google.id, clientSecret: oauth.google.secret })] : []),
  ];
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: getConfig().secrets.auth,
  trustHost: true,
  logger: authLogger,
  session: { strategy: "jwt", maxAge: LIMITS.auth.SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login", error: "/login" },
  providers: providers(),
  callbacks: {
    async signIn({ account, profile }) {
      // OAuth accounts are linked by email only when the provider vouches for it.
      if (account?.provider === "google") return profile?.email_verified === true;
      return true;
    },
    async jwt({ token, user, account }) {
      const db = await getDatabase();
      if (user && account) {
        const record =
          account.provider === "credentials"
            ? await findUserById(db, { id: String(user.id) })
            : await findOrCreateOAuthUser(db, {
                provider: account.provider,
                providerAccountId: account.providerAccountId,
                email: String(user.email).toLowerCase(),
                name: user.name ?? null,
              });
        if (!record) return null;
        return { ...token, uid: record.id, sv: record.sessionVersion, role: record.role, sub: record.id };
      }
      if (!token.uid) return null;
      const current = await findUserById(db, { id: token.uid });
      if (!current || current.sessionVersion !== token.sv) return null;
      return { ...token, role: current.role, email: current.email, name: current.name };
    },
    session({ session, token }) {
      session.user.id = token.uid ?? "";
      session.user.role = token.role ?? "user";
      return session;
    },
  },
}));
