/**
 * A transcription upload (multipart `file` plus OpenAI-named options), checked before anything
 * is sent on: size by the tier, container by its magic bytes (never the name or declared type).
 * The backend repeats every check, and decodes in an isolated worker.
 */
import { readBytes } from "@/app/_server/http/read-body";
import { AudioInputError } from "@/lib/audio/errors";
import { audioLimitsFor, checkAudioSize } from "@/lib/audio/limits";
import { SNIFF_HEAD_BYTES, sniffAudio } from "@/lib/audio/sniff";
import { ApiError, issuesFromZod } from "@/lib/errors";
import { LIMITS } from "@/lib/limits";
import {
  CONTAINER_EXTENSIONS,
  type TranscriptionOptions,
  transcriptionOptionsSchema,
} from "@/lib/schemas/transcription";

/** A non-empty text field, or undefined. */
export const formField = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" && value !== "" ? value : undefined;
};

export interface AudioUpload {
  form: FormData;
  bytes: Uint8Array<ArrayBuffer>;
  extension: string;
}

/** The body, read with the tier's byte limit before any parsing; then the `file` field, sniffed. */
export async function readAudioUpload(request: Request): Promise<AudioUpload> {
  const limits = audioLimitsFor("free");
  const body = await readBytes(request, limits.maxBytes + LIMITS.http.MULTIPART_OVERHEAD_BYTES, {
    timeoutMs: LIMITS.http.UPLOAD_READ_TIMEOUT_MS,
  });
  let form: FormData;
  try {
    form = await new Response(body, {
      headers: { "content-type": request.headers.get("content-type") ?? "" },
    }).formData();
  } catch {
    throw new ApiError("bad_request", "body", "The request body is not valid multipart/form-data");
  }
  const file = form.get("file");
  if (!(file instanceof File)) {
    throw new ApiError("bad_request", "body", "Send the recording in the `file` field", [
      { path: "file", message: "is required" },
    ]);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  checkAudioSize(bytes.byteLength, limits);
  const sniffed = sniffAudio(bytes.subarray(0, SNIFF_HEAD_BYTES), bytes.byteLength);
  if (!sniffed.ok) throw new AudioInputError(sniffed.reason, sniffed.message);
  return { form, bytes, extension: CONTAINER_EXTENSIONS[sniffed.audio.container] };
}

/** A zod failure on form fields as one 400 that names each field. */
export function invalidFields(issues: Parameters<typeof issuesFromZod>[0]): ApiError {
  const named = issuesFromZod(issues);
  return new ApiError("bad_request", "body", `Invalid ${named.map((i) => i.path).join(", ")}`, named);
}

/** The job settings in a form; `task` may be fixed by the route (OpenAI's translations). */
export function transcriptionOptionsFrom(
  form: FormData,
  fixed: { task?: TranscriptionOptions["task"] } = {},
): TranscriptionOptions {
  const temperature = formField(form, "temperature");
  const options = transcriptionOptionsSchema.safeParse({
    task: fixed.task ?? formField(form, "task"),
    language: formField(form, "language"),
    prompt: formField(form, "prompt"),
    temperature: temperature === undefined ? undefined : Number(temperature),
    wordTimestamps: form.getAll("timestamp_granularities[]").map(String).includes("word"),
  });
  if (!options.success) throw invalidFields(options.error.issues);
  return options.data;
}

export async function readTranscriptionUpload(request: Request) {
  const { form, bytes, extension } = await readAudioUpload(request);
  return { bytes, extension, options: transcriptionOptionsFrom(form) };
}
