import "./globals.css";
import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { currentUser } from "@/app/_server/auth/session";
import { SiteHeader } from "@/components/layout/site-header";

export const metadata: Metadata = {
  title: "Parla",
  description: "A private speech studio: text to speech and transcription that stay yours.",
  icons: { icon: "/icon.svg" },
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f8fafc" },
    { media: "(prefers-color-scheme: dark)", color: "#020617" },
  ],
};

// Every page is rendered per request: the CSP nonce from proxy.ts must reach Next's scripts.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:m-2 focus:rounded focus:bg-white focus:p-2"
        >
          Skip to content
        </a>
        <SiteHeader user={user} />
        <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4">
          {children}
        </main>
        <footer className="py-6 text-center text-xs text-slate-500 dark:text-slate-400">
          Parla keeps your voice and your words private.
        </footer>
      </body>
    </html>
  );
}
