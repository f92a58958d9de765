"use client";
/** Loads a job's transcript.json (verbose JSON) for the transcript view, checked before use. */
import { useEffect, useState } from "react";
import {
  TRANSCRIPT_JSON_FILE,
  type VerboseJsonTranscript,
  verboseJsonSchema,
} from "@/lib/transcript/verbose-json";

export type TranscriptFileState =
  | { status: "loading" }
  | { status: "ready"; transcript: VerboseJsonTranscript }
  | { status: "error"; message: string };

export function useTranscriptFile(filesBase: string): TranscriptFileState {
  const [state, setState] = useState<TranscriptFileState>({ status: "loading" });
  useEffect(() => {
    const abort = new AbortController();
    setState({ status: "loading" });
    fetch(`${filesBase}/${TRANSCRIPT_JSON_FILE}`, { signal: abort.signal })
      .then(async (response) => {
        if (!response.ok) throw new Error(`status ${response.status}`);
        const parsed = verboseJsonSchema.safeParse(await response.json());
        if (!parsed.success) throw new Error("shape");
        setState({ status: "ready", transcript: parsed.data });
      })
      .catch(() => {
        if (!abort.signal.aborted) {
          setState({
            status: "error",
            message: "The timed transcript could not be loaded. Reload to try again.",
          });
        }
      });
    return () => abort.abort();
  }, [filesBase]);
  return state;
}
