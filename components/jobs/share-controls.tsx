"use client";
/** Make a share link for a finished job, copy it, see how often shared links were opened, revoke. */
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { type JobView, shareCreatedSchema } from "@/lib/schemas/jobs";

export function ShareControls({ job }: { job: JobView }) {
  const [link, setLink] = useState<{ url: string; token: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const liveShares = job.shares.filter((share) => !share.revokedAt);
  const views = liveShares.reduce((sum, share) => sum + share.views, 0);

  async function share() {
    setMessage(null);
    const response = await fetch(`/api/jobs/${job.id}/share`, { method: "POST" });
    if (!response.ok) return setMessage("Could not create a link. Try again.");
    const created = shareCreatedSchema.parse(await response.json());
    setLink({ url: new URL(created.url, window.location.origin).toString(), token: created.token });
  }

  async function revoke() {
    if (!link) return;
    const response = await fetch(`/api/shares/${link.token}`, { method: "DELETE" });
    setMessage(response.ok ? "The link no longer works." : "Could not revoke the link. Try again.");
    if (response.ok) setLink(null);
  }

  return (
    <div className="flex flex-wrap items-center gap-2">
      {link ? (
        <>
          <label className="sr-only" htmlFor={`share-${job.id}`}>
            Share link
          </label>
          <input
            id={`share-${job.id}`}
            readOnly
            value={link.url}
            data-testid="share-url"
            className="w-64 rounded-lg border border-slate-300 bg-slate-50 px-2 py-1 text-xs dark:border-slate-700 dark:bg-slate-950"
          />
          <Button
            variant="secondary"
            className="py-1.5"
            onClick={() => navigator.clipboard?.writeText(link.url)}
          >
            Copy
          </Button>
          <Button variant="secondary" className="py-1.5" onClick={revoke}>
            Revoke
          </Button>
        </>
      ) : (
        <Button variant="secondary" className="py-1.5" onClick={share}>
          Share
        </Button>
      )}
      {liveShares.length > 0 && (
        <span className="text-xs text-slate-600 dark:text-slate-400" data-testid="share-views">
          {liveShares.length} link{liveShares.length === 1 ? "" : "s"} · opened {views} time
          {views === 1 ? "" : "s"}
        </span>
      )}
      {message && (
        <span role="status" className="text-xs text-slate-600 dark:text-slate-400">
          {message}
        </span>
      )}
    </div>
  );
}
