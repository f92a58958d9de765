/**
 * One error type for every API surface. `code` is `${type}:${surface}`; the type decides the
 * HTTP status, and the message is always safe to show (internal details are logged, never sent).
 */

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  request_timeout: 408,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  /** Work the request waits for did not finish in time (it may still finish; the body says where). */
  timeout: 504,
} as const;

export type ErrorType = keyof typeof ERROR_STATUS;

export interface ErrorIssue {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: { code: string; message: string; issues?: ErrorIssue[] };
}

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly type: ErrorType,
    readonly surface: string,
    message: string,
    readonly issues?: ErrorIssue[],
    /** Response headers that belong to this refusal, e.g. Retry-After on a 429 or 503. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = ERROR_STATUS[type];
  }

  get code(): string {
    return `${this.type}:${this.surface}`;
  }

  toBody(): ErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) },
    };
  }
}

/** zod issues → our wire shape, each naming the field it is about. */
export function issuesFromZod(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): ErrorIssue[] {
  return issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
}
