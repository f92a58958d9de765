import Link from "next/link";
import { currentUser } from "@/app/_server/auth/session";
import { SpeechJobForm } from "@/components/studio/speech-job-form";
import { TranscriptionJobForm } from "@/components/studio/transcription-job-form";
import { Card } from "@/components/ui/card";

export default async function HomePage() {
  const user = await currentUser();
  return (
    <div className="flex flex-col gap-8 py-10">
      <section>
        <h1 className="text-3xl font-bold tracking-tight" data-testid="home-title">
          {user ? `Welcome${user.name ? `, ${user.name}` : ""}` : "Your private speech studio"}
        </h1>
        <p className="mt-2 max-w-2xl text-slate-600 dark:text-slate-400">
          Type text and hear it spoken, or drop in a recording and read its transcript. Short work runs in
          your own browser; long work runs on Parla&apos;s GPU backend, and nothing is shared unless you share
          it.
        </p>
        {!user && (
          <div className="mt-6 flex gap-3">
            <Link
              href="/register"
              className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700"
            >
              Create an account
            </Link>
            <Link
              href="/login"
              className="rounded-lg border border-slate-300 px-4 py-2 text-sm font-semibold hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
            >
              Sign in
            </Link>
          </div>
        )}
      </section>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card
          title="Text to speech"
          description="Kokoro, Piper and espeak-ng voices. Short text previews in your browser; long text becomes a job on the GPU backend."
        >
          {user ? (
            <SpeechJobForm />
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">Sign in to generate speech.</p>
          )}
        </Card>
        <Card
          title="Transcription"
          description="Whisper with timestamps, subtitles and translation to English."
        >
          {user ? (
            <TranscriptionJobForm />
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">Sign in to transcribe recordings.</p>
          )}
        </Card>
      </div>
    </div>
  );
}
