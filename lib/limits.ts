/**
 * The policy table: every limit Parla enforces, as a named constant with its unit.
 * Code never writes a limit inline; tests import these names (lib/limits.test.ts checks the table).
 */

export const LIMITS = {
  auth: {
    /** Shortest password accepted at sign-up and on change. */
    PASSWORD_MIN_CHARS: 10,
    PASSWORD_MAX_CHARS: 256,
    EMAIL_MAX_CHARS: 254,
    /** Failed sign-ins per account or IP allowed before backoff starts. */
    FAILURES_BEFORE_BACKOFF: 5,
    /** First lock after FAILURES_BEFORE_BACKOFF; doubles with each further failure. */
    BACKOFF_BASE_SECONDS: 30,
    BACKOFF_MAX_SECONDS: 15 * 60,
    /** Failure counters forget an identity after this much quiet. */
    FAILURE_WINDOW_SECONDS: 60 * 60,
    SESSION_MAX_AGE_SECONDS: 30 * 24 * 60 * 60,
  },
  backendLink: {
    /** A signed request is accepted only this close to the backend's clock. */
    SIGNATURE_WINDOW_SECONDS: 60,
    /** The Next app gives up on a backend call after this long. */
    REQUEST_TIMEOUT_MS: 30_000,
    /** Largest request body the backend reads (larger uploads are streamed by later routes). */
    MAX_BODY_BYTES: 1024 * 1024,
    /** Nonces remembered for replay refusal; when full of live nonces, new calls get 503 rather than a gap. */
    REPLAY_CACHE_MAX_ENTRIES: 100_000,
    /** In-flight requests get this long to finish on SIGTERM/SIGINT before the backend exits anyway. */
    SHUTDOWN_GRACE_MS: 10_000,
  },
  http: {
    /** Largest JSON body any Next route parses. */
    MAX_JSON_BODY_BYTES: 64 * 1024,
  },
  models: {
    /** A download that stalls this long is aborted (and resumable). */
    DOWNLOAD_STALL_TIMEOUT_MS: 30_000,
    DOWNLOAD_MAX_ATTEMPTS: 3,
    /** Pause before a failed download is tried again (resuming from the partial file). */
    DOWNLOAD_RETRY_DELAY_MS: 1_000,
  },
  supervisor: {
    /** Restart delay after a crash; doubles per crash in a row, up to the max. */
    RESTART_BASE_DELAY_MS: 500,
    RESTART_MAX_DELAY_MS: 10_000,
    /** A child that stays up this long resets the crash count. */
    HEALTHY_AFTER_MS: 30_000,
  },
} as const;

/** Exponential sign-in backoff: seconds to wait after `failures` failed attempts in a row. */
export function signInBackoffSeconds(failures: number): number {
  const { FAILURES_BEFORE_BACKOFF, BACKOFF_BASE_SECONDS, BACKOFF_MAX_SECONDS } = LIMITS.auth;
  if (failures < FAILURES_BEFORE_BACKOFF) return 0;
  const doublings = failures - FAILURES_BEFORE_BACKOFF;
  return Math.min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.min(doublings, 30));
}
