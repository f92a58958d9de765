/** The web app's calls to the backend's job routes, each scoped to the signed-in person. */

import { z } from "zod";
import { backendRequest, backendStream } from "@/app/_server/backend-client";
import { ApiError } from "@/lib/errors";
import {
  jobCreatedSchema,
  jobIdSchema,
  jobListSchema,
  jobViewSchema,
  shareCreatedSchema,
  sharedResultSchema,
} from "@/lib/schemas/jobs";

const userPath = (userId: string) => `/internal/users/${encodeURIComponent(userId)}`;

/** Ids come from URLs: anything that is not a job id is simply not found. */
export function parseJobId(raw: string): string {
  const parsed = jobIdSchema.safeParse(raw);
  if (!parsed.success) throw new ApiError("not_found", "job", "No such job");
  return parsed.data;
}

export const backendJobs = {
  createSpeech: (userId: string, body: { input: string; options: Record<string, unknown> }) =>
    backendRequest({
      method: "POST",
      path: `${userPath(userId)}/jobs/speech`,
      body,
      schema: jobCreatedSchema,
    }),
  createTranscription: async (
    userId: string,
    upload: { bytes: Uint8Array<ArrayBuffer>; extension: string; options: Record<string, unknown> },
  ) => {
    const query = new URLSearchParams({ ext: upload.extension, options: JSON.stringify(upload.options) });
    const response = await backendStream({
      method: "POST",
      path: `${userPath(userId)}/jobs/transcription?${query}`,
      body: upload.bytes,
      contentType: "application/octet-stream",
    });
    return jobCreatedSchema.parse(await response.json());
  },
  list: (userId: string) =>
    backendRequest({ method: "GET", path: `${userPath(userId)}/jobs`, schema: jobListSchema }),
  get: (userId: string, id: string) =>
    backendRequest({ method: "GET", path: `${userPath(userId)}/jobs/${id}`, schema: jobViewSchema }),
  remove: (userId: string, id: string) =>
    backendRequest({
      method: "DELETE",
      path: `${userPath(userId)}/jobs/${id}`,
      schema: z.object({ id: z.string(), outcome: z.enum(["canceled", "deleted"]) }),
    }),
  /** A speech job's audio, encoded as it is made; answers once the first audio exists. */
  audio: (
    userId: string,
    id: string,
    options: { format: string; cancelOnDisconnect: boolean; signal: AbortSignal },
  ) => {
    const query = new URLSearchParams({
      format: options.format,
      cancelOnDisconnect: options.cancelOnDisconnect ? "1" : "0",
    });
    return backendStream({
      method: "GET",
      path: `${userPath(userId)}/jobs/${id}/audio?${query}`,
      signal: options.signal,
    });
  },
  events: (userId: string, id: string, signal: AbortSignal) =>
    backendStream({ method: "GET", path: `${userPath(userId)}/jobs/${id}/events`, signal }),
  /** A result file; with `range` (the browser's Range header), possibly only part of it (206). */
  file: (userId: string, id: string, name: string, range?: string) =>
    backendStream({
      method: "GET",
      path: `${userPath(userId)}/jobs/${id}/files/${encodeURIComponent(name)}`,
      range,
    }),
  share: (userId: string, id: string, body: { expiresInDays?: number }) =>
    backendRequest({
      method: "POST",
      path: `${userPath(userId)}/jobs/${id}/shares`,
      body,
      schema: shareCreatedSchema,
    }),
  revokeShare: (userId: string, token: string) =>
    backendRequest({
      method: "DELETE",
      path: `${userPath(userId)}/shares/${encodeURIComponent(token)}`,
      schema: z.object({ revoked: z.literal(true) }),
    }),
  /** A shared result for anyone holding the token; counts a view. Unknown tokens → not found. */
  shared: (token: string) =>
    backendRequest({
      method: "GET",
      path: `/internal/shares/${encodeURIComponent(token)}`,
      schema: sharedResultSchema,
    }),
  sharedFile: (token: string, name: string, range?: string) =>
    backendStream({
      method: "GET",
      path: `/internal/shares/${encodeURIComponent(token)}/files/${encodeURIComponent(name)}`,
      range,
    }),
  deleteAllData: (userId: string) =>
    backendRequest({
      method: "DELETE",
      path: `${userPath(userId)}/data`,
      schema: z.object({ deletedJobs: z.number() }),
    }),
};
