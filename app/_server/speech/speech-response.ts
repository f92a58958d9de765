import "server-only";
/**
 * The body of a /v1/audio/speech reply, built from the backend's live audio: the bytes as they
 * come (stream_format "audio"), or OpenAI's Server-Sent Events (`speech.audio.delta` with base64
 * audio, then `speech.audio.done` with usage; an `error` event when the job fails midway).
 * Either way, the client going away aborts the backend call, which cancels the job.
 */
import type { JobView } from "@/lib/schemas/jobs";
import type {
  SpeechAudioDeltaEvent,
  SpeechAudioDoneEvent,
  SpeechErrorEvent,
} from "@/lib/schemas/openai-speech";

/** Usage's output tokens count 20 ms frames of audio (OpenAI does not define audio tokens for TTS). */
const FRAMES_PER_SECOND = 50;

export interface SpeechBodyOptions {
  upstream: ReadableStream<Uint8Array>;
  /** Aborts the backend call (and through it, the job). */
  abort: () => void;
}

/** The audio bytes as the backend sends them; a broken upstream breaks this stream too. */
export function audioBody({ upstream, abort }: SpeechBodyOptions): ReadableStream<Uint8Array> {
  const reader = upstream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch {
        // Not close(): a cut-short file must not look like a whole one.
        controller.error(new Error("The speech job stopped before its audio was complete"));
      }
    },
    cancel() {
      abort();
    },
  });
}

function sse(event: SpeechAudioDeltaEvent | SpeechAudioDoneEvent | SpeechErrorEvent): Uint8Array {
  return new TextEncoder().encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

export interface SseBodyOptions extends SpeechBodyOptions {
  inputCharacters: number;
  /** The job as it ended: its duration for usage, or its error for the error event. */
  finalJob: () => Promise<JobView | undefined>;
}

export function sseBody({
  upstream,
  abort,
  inputCharacters,
  finalJob,
}: SseBodyOptions): ReadableStream<Uint8Array> {
  const reader = upstream.getReader();
  const failed = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    const job = await finalJob().catch(() => undefined);
    controller.enqueue(
      sse({
        type: "error",
        error: {
          message: job?.error ?? "The speech job stopped before its audio was complete",
          type: "server_error",
          code: job?.status === "canceled" ? "speech_canceled" : "speech_failed",
        },
      }),
    );
    controller.close();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        return failed(controller);
      }
      if (!chunk.done) {
        controller.enqueue(
          sse({ type: "speech.audio.delta", audio: Buffer.from(chunk.value).toString("base64") }),
        );
        return;
      }
      const job = await finalJob().catch(() => undefined);
      if (job?.status !== "succeeded") return failed(controller);
      const outputTokens = Math.ceil((job.result?.durationSeconds ?? 0) * FRAMES_PER_SECOND);
      controller.enqueue(
        sse({
          type: "speech.audio.done",
          usage: {
            input_tokens: inputCharacters,
            output_tokens: outputTokens,
            total_tokens: inputCharacters + outputTokens,
          },
        }),
      );
      controller.close();
    },
    cancel() {
      abort();
    },
  });
}
