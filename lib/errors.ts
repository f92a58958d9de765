/**
 * One error type for every API surface. `code` is `${type}:${surface}`; the type decides the
 * HTTP status, and the message is always safe to show (internal details are logged, never sent).
 * The body also carries OpenAI's `type` and `param`, so the OpenAI clients that call /v1 read
 * our errors as their own ({ error: { message, type, param, code } }).
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

/** OpenAI's error `type` for each of ours. */
export const OPENAI_ERROR_TYPES: Record<ErrorType, string> = {
  bad_request: "invalid_request_error",
  unauthorized: "authentication_error",
  forbidden: "permission_error",
  not_found: "invalid_request_error",
  request_timeout: "invalid_request_error",
  conflict: "invalid_request_error",
  payload_too_large: "invalid_request_error",
  unsupported_media_type: "invalid_request_error",
  unprocessable: "invalid_request_error",
  rate_limited: "rate_limit_error",
  internal: "server_error",
  unavailable: "server_error",
  timeout: "server_error",
};

export interface ErrorIssue {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    /** OpenAI's error type (OPENAI_ERROR_TYPES). */
    type: string;
    /** The first field at fault, as OpenAI names it; null when no one field is. */
    param: string | null;
    issues?: ErrorIssue[];
  };
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
    const param = this.issues?.find((issue) => issue.path !== "(body)")?.path ?? null;
    return {
      error: {
        code: this.code,
        message: this.message,
        type: OPENAI_ERROR_TYPES[this.type],
        param,
        ...(this.issues ? { issues: this.issues } : {}),
      },
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
