import Link from "next/link";
import type { SessionUser } from "@/app/_server/auth/session";
import { signOutAction } from "@/app/(auth)/actions";

const baseLinkClass = "rounded-md px-3 py-2 text-sm font-medium";
const linkClass = `${baseLinkClass} hover:bg-slate-200 dark:hover:bg-slate-800`;
// Its own hover colour: the plain links' light hover under white text would fail contrast.
const primaryLinkClass = `${baseLinkClass} bg-brand-600 text-white hover:bg-brand-700`;

export function SiteHeader({ user }: { user: SessionUser | null }) {
  return (
    <header className="border-b border-slate-200 bg-white/80 backdrop-blur dark:border-slate-800 dark:bg-slate-900/80">
      <nav
        aria-label="Main"
        className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-2 px-4 py-3"
      >
        <Link href="/" className="text-lg font-bold tracking-tight">
          Parla
        </Link>
        <div className="flex flex-wrap items-center gap-1">
          {user ? (
            <>
              <Link href="/" className={linkClass}>
                Studio
              </Link>
              <Link href="/history" className={linkClass}>
                History
              </Link>
              <Link href="/account" className={linkClass}>
                Account
              </Link>
              {user.role === "admin" && (
                <Link href="/admin" className={linkClass}>
                  Admin
                </Link>
              )}
              <form action={signOutAction}>
                <button type="submit" className={linkClass}>
                  Sign out
                </button>
              </form>
            </>
          ) : (
            <>
              <Link href="/login" className={linkClass}>
                Sign in
              </Link>
              <Link href="/register" className={primaryLinkClass}>
                Create account
              </Link>
            </>
          )}
        </div>
      </nav>
    </header>
  );
}
