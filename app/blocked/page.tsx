import type { Metadata } from "next";
import { currentUser } from "@/app/_server/auth/session";
import { blockList } from "@/app/_server/blocks/blocks";
import { Card } from "@/components/ui/card";

export const metadata: Metadata = { title: "Account blocked · Parla" };
export const dynamic = "force-dynamic";

/** Where a blocked account's page requests land: what is blocked and until when, nothing more. */
export default async function BlockedPage() {
  const user = await currentUser();
  const block = user ? await blockList().matchAccount(user.id) : undefined;
  return (
    <div className="mx-auto flex w-full max-w-xl flex-col gap-6 py-8">
      <h1 className="text-2xl font-bold tracking-tight">Account blocked</h1>
      <Card title={block ? "This account is blocked" : "Nothing is blocked"}>
        <p className="text-sm" data-testid="blocked-until">
          {block
            ? block.expiresAt
              ? `The block ends at ${block.expiresAt.toISOString()}.`
              : "The block lasts until an administrator lifts it."
            : "Your account is not blocked."}
        </p>
      </Card>
    </div>
  );
}
