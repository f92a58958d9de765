/**
 * Sends a new job to /api/jobs and returns its first view, or the message to show: the first
 * named field's problem, the error's own message, or a connection problem.
 */
import { type JobView, jobCreatedSchema, jobViewSchema } from "@/lib/schemas/jobs";

export async function errorMessage(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as {
    error?: { message?: string; issues?: { path: string; message: string }[] };
  } | null;
  const issue = body?.error?.issues?.[0];
  if (issue) return `${issue.path}: ${issue.message}`;
  return body?.error?.message ?? `The request failed (${response.status})`;
}

export async function submitJob(init: RequestInit): Promise<{ job: JobView } | { error: string }> {
  try {
    const response = await fetch("/api/jobs", { method: "POST", ...init });
    if (!response.ok) return { error: await errorMessage(response) };
    const { id } = jobCreatedSchema.parse(await response.json());
    return { job: jobViewSchema.parse(await (await fetch(`/api/jobs/${id}`)).json()) };
  } catch {
    return { error: "Parla could not be reached. Check your connection and try again." };
  }
}
