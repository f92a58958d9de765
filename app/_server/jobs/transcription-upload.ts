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
import { CONTAINER_EXTENSIONS, transcriptionOptionsSchema } from "@/lib/schemas/transcription";

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" && value !== "" ? value : undefined;
};

export async function readTranscriptionUpload(request: Request) {
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

  const granularities = form.getAll("timestamp_granularities[]").map(String);
  const temperature = field(form, "temperature");
  const options = transcriptionOptionsSchema.safeParse({
    task: field(form, "task"),
    language: field(form, "language"),
    prompt: field(form, "prompt"),
    temperature: temperature === undefined ? undefined : Number(temperature),
    wordTimestamps: granularities.includes("word"),
  });
  if (!options.success) {
    const issues = issuesFromZod(options.error.issues);
    throw new ApiError("bad_request", "body", `Invalid ${issues.map((i) => i.path).join(", ")}`, issues);
  }
  return { bytes, extension: CONTAINER_EXTENSIONS[sniffed.audio.container], options: options.data };
}
