/**
 * A failed job's reason as one text column: the message people read, prefixed with the ApiError
 * code of an input refusal ("[unprocessable:audio.corrupt] The file is damaged…") so an API that
 * waits for the job can answer with that refusal's own 4xx. No migration: old rows have no prefix.
 */

const PREFIXED = /^\[([a-z_]+:[a-z0-9._]+)\] ([\s\S]*)$/;

export function encodeJobError(message: string, code?: string): string {
  return code ? `[${code}] ${message}` : message;
}

export function decodeJobError(stored: string | null): { error: string | null; errorCode: string | null } {
  if (stored === null) return { error: null, errorCode: null };
  const match = PREFIXED.exec(stored);
  return match ? { error: match[2] ?? "", errorCode: match[1] ?? null } : { error: stored, errorCode: null };
}
