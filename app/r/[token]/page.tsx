/**
 * A shared result, for anyone with the link and without an account. Unknown, revoked and
 * expired tokens all render the same 404. Headers (no-referrer, noindex, no-store) come from proxy.ts.
 */
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { backendJobs } from "@/app/_server/jobs/backend-jobs";
import { WaveformPlayer } from "@/components/audio/waveform-player";
import { TranscriptView } from "@/components/transcript/transcript-view";
import { ApiError } from "@/lib/errors";

export const metadata: Metadata = {
  title: "Shared with you · Parla",
  robots: { index: false, follow: false },
};

export default async function SharedResultPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const shared = await backendJobs.shared(token).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  });
  if (!shared) notFound();
  const audio = shared.result.files.find((file) => file.mime.startsWith("audio/"));
  const filesBase = `/r/${encodeURIComponent(token)}/files`;
  const fileUrl = (name: string) => `${filesBase}/${name}`;
  return (
    <article className="mx-auto flex max-w-2xl flex-col gap-4 py-10">
      <h1 className="text-2xl font-bold tracking-tight" data-testid="shared-title">
        {shared.kind === "speech" ? "Shared speech" : "Shared transcript"}
      </h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Made with Parla on {new Date(shared.createdAt).toLocaleDateString("en")}.
      </p>
      {shared.kind === "transcription" && <TranscriptView result={shared.result} filesBase={filesBase} />}
      {shared.kind !== "transcription" && audio && (
        <WaveformPlayer src={fileUrl(audio.name)} label="Shared audio" testId="shared-audio" />
      )}
      {shared.kind !== "transcription" && shared.result.text !== undefined && (
        <p
          className="whitespace-pre-wrap rounded-2xl border border-slate-200 p-4 dark:border-slate-800"
          data-testid="shared-text"
        >
          {shared.result.text}
        </p>
      )}
      {shared.kind !== "transcription" && (
        <ul className="flex flex-wrap gap-2">
          {shared.result.files.map((file) => (
            <li key={file.name}>
              <a
                href={fileUrl(file.name)}
                download={file.name}
                className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
              >
                Download {file.name}
              </a>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
