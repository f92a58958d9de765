/**
 * Sends a transcription job as multipart with XMLHttpRequest, because fetch reports no upload
 * progress; the reply is read exactly as submitJob reads fetch's.
 */
import { type JobView, jobCreatedSchema, jobViewSchema } from "@/lib/schemas/jobs";
import { errorMessage } from "./submit-job";

export interface UploadProgress {
  sentBytes: number;
  totalBytes: number;
}

const OFFLINE_MESSAGE = "Parla could not be reached. Check your connection and try again.";

function post(body: FormData, onProgress: (progress: UploadProgress) => void): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", "/api/jobs");
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress({ sentBytes: event.loaded, totalBytes: event.total });
    };
    request.onload = () =>
      resolve(
        new Response(request.responseText, {
          status: request.status,
          headers: { "content-type": request.getResponseHeader("content-type") ?? "text/plain" },
        }),
      );
    request.onerror = () => reject(new Error("network"));
    request.onabort = () => reject(new Error("aborted"));
    request.send(body);
  });
}

export async function uploadJob(
  body: FormData,
  onProgress: (progress: UploadProgress) => void,
): Promise<{ job: JobView } | { error: string }> {
  try {
    const response = await post(body, onProgress);
    if (!response.ok) return { error: await errorMessage(response) };
    const { id } = jobCreatedSchema.parse(await response.json());
    return { job: jobViewSchema.parse(await (await fetch(`/api/jobs/${id}`)).json()) };
  } catch {
    return { error: OFFLINE_MESSAGE };
  }
}
