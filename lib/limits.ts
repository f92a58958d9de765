/**
 * The policy table: every limit Parla enforces, as a named constant with its unit.
 * Code never writes a limit inline; tests import these names (lib/limits.test.ts checks the table).
 */
import type { RateLimitPolicySpec } from "@/lib/rate-limit/types";

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
    /** A speech request carries up to tts.PRO_MAX_CHARS characters of up to 4 UTF-8 bytes each. */
    SPEECH_MAX_JSON_BYTES: 1024 * 1024,
    /** Room for multipart boundaries and the option fields around an uploaded recording. */
    MULTIPART_OVERHEAD_BYTES: 64 * 1024,
    /** A JSON body must arrive whole within this long; a client that trickles it gets 408. */
    BODY_READ_TIMEOUT_MS: 10_000,
    /** The same for an uploaded recording (a free-tier file at 1 Mbit/s takes about 80 s). */
    UPLOAD_READ_TIMEOUT_MS: 120_000,
  },
  models: {
    /** A download that stalls this long is aborted (and resumable). */
    DOWNLOAD_STALL_TIMEOUT_MS: 30_000,
    DOWNLOAD_MAX_ATTEMPTS: 3,
    /** Pause before a failed download is tried again (resuming from the partial file). */
    DOWNLOAD_RETRY_DELAY_MS: 1_000,
  },
  rateLimit: {
    /** Requests a process serves at once; the next one gets 503 rather than queueing behind them. */
    MAX_IN_FLIGHT_REQUESTS: 50,
    /** A rate-limit store slower than this counts as down (the policy's failMode decides). */
    STORE_TIMEOUT_MS: 500,
    /** Live counters the in-process store holds; when full of unexpired ones it reports itself down. */
    MEMORY_STORE_MAX_KEYS: 100_000,
    /** Retry-After on a 503 from a fail-closed policy whose store is down. */
    UNAVAILABLE_RETRY_AFTER_SECONDS: 5,
  },
  jobs: {
    /** Days a result is kept before the sweeper deletes it, per tier. */
    RETENTION_DAYS_FREE: 7,
    RETENTION_DAYS_PRO: 30,
    /** How often the retention sweeper runs, and how many expired jobs it deletes per pass. */
    SWEEP_INTERVAL_MS: 60_000,
    SWEEP_BATCH: 100,
    /** Most jobs one history request returns. */
    LIST_MAX: 200,
    /** A worker's progress is written to the database at most this often. */
    PROGRESS_WRITE_INTERVAL_MS: 500,
    /** Event streams re-read the job this often, for jobs run by another backend machine. */
    EVENTS_POLL_MS: 1_000,
    /** How often job rows are checked against the queue, so none is ever left behind. */
    RECONCILE_INTERVAL_MS: 5_000,
    /** Retry-After sent with a refusal because of the queue's depth or a person's job count. */
    BUSY_RETRY_AFTER_SECONDS: 30,
    /** The longest a share link may be set to last. */
    SHARE_MAX_DAYS: 365,
  },
  workers: {
    /** A job still running after this long is killed with its worker, then retried or failed. */
    JOB_TIMEOUT_MS: 20 * 60 * 1000,
    /**
     * A canceled job that stops within this long keeps its worker; past it the worker is killed
     * and replaced. Speech stops between chunks and Whisper between windows, so on a GPU this
     * covers a model call; a longer CPU call costs the worker, as every cancel did before.
     */
    CANCEL_GRACE_MS: 3_000,
    /** Resident memory a worker may use (V8 heap cap and an RSS watch for native model memory). */
    MEMORY_LIMIT_MB: 6144,
    /** How often a busy worker's resident memory is sampled. */
    MEMORY_POLL_MS: 250,
    /** Workers per GPU running jobs at once; on a machine without a GPU, CPU_WORKERS. */
    CONCURRENCY_PER_GPU: 2,
    CPU_WORKERS: 1,
    /** Delay before replacing a worker that died on start; doubles per failure in a row. */
    RESPAWN_BASE_DELAY_MS: 250,
    RESPAWN_MAX_DELAY_MS: 10_000,
  },
  queue: {
    /** A claimed job is someone else's after this long without a heartbeat (how fast a dead worker is noticed). */
    LEASE_MS: 30_000,
    /** Heartbeat period; also how soon another process's cancel reaches a running job (capped at LEASE_MS / 3). */
    HEARTBEAT_MS: 2_000,
    /** How often an idle embedded consumer looks for work and expired leases written by other processes. */
    POLL_INTERVAL_MS: 250,
    /** How often a subscriber re-reads a job's row for changes made by other processes. */
    SUBSCRIBE_POLL_MS: 500,
    /** Tries per job (first run included) before it fails with the last reason. */
    MAX_ATTEMPTS: 3,
    /** Pause before the second try; doubles per further try. */
    RETRY_BACKOFF_MS: 1_000,
    /** Jobs queued or running at once, all users together; add() refuses beyond it. */
    MAX_DEPTH: 1_000,
    /** Jobs queued or running at once for one user; add() refuses beyond it. */
    MAX_ACTIVE_JOBS_PER_USER: 5,
  },
  results: {
    /** An S3 call that cannot connect, or whose socket sits idle, this long fails (and is retried by the SDK). */
    S3_CONNECT_TIMEOUT_MS: 5_000,
    S3_REQUEST_TIMEOUT_MS: 60_000,
    /** Keys per DeleteObjects call (S3's own maximum). */
    S3_DELETE_BATCH: 1_000,
  },
  supervisor: {
    /** Restart delay after a crash; doubles per crash in a row, up to the max. */
    RESTART_BASE_DELAY_MS: 500,
    RESTART_MAX_DELAY_MS: 10_000,
    /** A child that stays up this long resets the crash count. */
    HEALTHY_AFTER_MS: 30_000,
  },
  stt: {
    /** Largest upload and longest recording per tier (free is the default; larger tiers are configured). */
    FREE_MAX_BYTES: 10 * 1024 * 1024,
    FREE_MAX_SECONDS: 90,
    PRO_MAX_BYTES: 200 * 1024 * 1024,
    PRO_MAX_SECONDS: 2 * 60 * 60,
    /** Bytes read from the head of a file to identify its container (covers a bounded ID3 tag). */
    SNIFF_HEAD_BYTES: 64 * 1024,
    /** Largest ID3v2 tag skipped before the MP3 frames; more "padding" than this is refused. */
    ID3_MAX_TAG_BYTES: 1024 * 1024,
    /** ffprobe and ffmpeg are killed after this long (decoding 2 h of audio takes well under a minute). */
    PROBE_TIMEOUT_MS: 10_000,
    DECODE_TIMEOUT_MS: 120_000,
    /** Declared source sample rates outside this range are refused as absurd. */
    MIN_SOURCE_SAMPLE_RATE: 4_000,
    MAX_SOURCE_SAMPLE_RATE: 384_000,
    /** Whisper and Silero both take 16 kHz mono. */
    SAMPLE_RATE: 16_000,
    /** Silero VAD: speech starts above THRESHOLD and ends below NEG_THRESHOLD (hysteresis). */
    VAD_THRESHOLD: 0.5,
    VAD_NEG_THRESHOLD: 0.35,
    /** Speech shorter than this is dropped; silence shorter than this does not split speech. */
    VAD_MIN_SPEECH_MS: 250,
    VAD_MIN_SILENCE_MS: 300,
    /** Padding kept around each speech segment so word onsets and tails are not clipped. */
    VAD_SPEECH_PAD_MS: 200,
    /** Whisper sees at most 30 s at once; long speech is cut at the quietest point before this. */
    WINDOW_MAX_SECONDS: 30,
    /** Decoding budget per 30 s window (Whisper's own limit is 448 positions in all). */
    MAX_NEW_TOKENS: 224,
    MAX_BEAMS: 5,
    /** Initial prompts are cut to their last tokens so the prompt never crowds out the transcript. */
    MAX_PROMPT_TOKENS: 223,
    /** Temperature fallback (openai/whisper): a window is decoded again this much hotter, up to 1… */
    FALLBACK_TEMPERATURE_STEP: 0.2,
    /** …while its text is this repetitive (gzip compression ratio above)… */
    FALLBACK_MAX_COMPRESSION_RATIO: 2.4,
    /** …or the model is this unsure of it (mean negative log-probability per token above; openai's -1)… */
    FALLBACK_MAX_MEAN_NEG_LOGPROB: 1,
    /** …unless <|nospeech|> is at least this likely too: then the window is silence, not a failure. */
    NO_SPEECH_THRESHOLD: 0.6,
    /** The OpenAI-compatible routes wait this long for their job, then answer 504 and name the job. */
    API_WAIT_MAX_MS: 5 * 60 * 1000,
  },
  /** Blocks placed by admins or automatically (app/_server/blocks). */
  blocks: {
    /**
     * How long a process trusts its cached block list. A block added or lifted in this process
     * takes effect on the very next request (the cache is dropped); other processes (another web
     * instance, the CLI) see it within this time.
     */
    CACHE_TTL_MS: 5_000,
    REASON_MAX_CHARS: 200,
    /** Most blocks one admin listing returns (automatic ones expire, so the live list stays short). */
    LIST_MAX: 500,
  },
  /** Automatic abuse blocks: strikes are counted in the rate-limit store (memory, Redis or Upstash). */
  abuse: {
    /** 429s one identity (account, API key, else IP) may draw per window before it is blocked. */
    MAX_RATE_LIMITED_PER_WINDOW: 60,
    /** Requests refused as invalid (400, 413, 415, 422) per window before the identity is blocked. */
    MAX_INVALID_PER_WINDOW: 100,
    WINDOW_SECONDS: 10 * 60,
    /** How long an automatic block lasts. */
    BLOCK_SECONDS: 60 * 60,
  },
  /**
   * Cost-weighted daily quotas per tier, charged when a job is created (server/routes/jobs.ts):
   * speech by characters of input, transcription by seconds of audio. The day is UTC.
   */
  quotas: {
    WINDOW_SECONDS: 24 * 60 * 60,
    FREE_SPEECH_CHARS_PER_DAY: 100_000,
    PRO_SPEECH_CHARS_PER_DAY: 2_000_000,
    FREE_TRANSCRIPTION_SECONDS_PER_DAY: 30 * 60,
    PRO_TRANSCRIPTION_SECONDS_PER_DAY: 10 * 60 * 60,
  },
  admin: {
    /** Rows the admin page and API return per listing. */
    USER_LIST_MAX: 100,
    AUDIT_LIST_MAX: 200,
  },
  tts: {
    /** Longest text per tier, in code points: browser preview, free jobs, pro jobs. */
    PREVIEW_MAX_CHARS: 300,
    FREE_MAX_CHARS: 50_000,
    PRO_MAX_CHARS: 200_000,
    /** Longest run of zero-width characters allowed (one ZWJ/ZWNJ is real text; more is smuggling). */
    ZERO_WIDTH_MAX_RUN: 1,
    /** Issues reported per rejected text, so a hostile input cannot make a huge 400. */
    MAX_TEXT_ISSUES: 20,
    /** Numbers with more digits than this are read digit by digit (no "quintillion" words). */
    NUMBER_MAX_WORD_DIGITS: 15,
    /** Speed range of the OpenAI speech API. */
    SPEED_MIN: 0.25,
    SPEED_MAX: 4,
    /** Kokoro's context: 512 positions; its voices have 510 style rows (ids incl. the two pads). */
    KOKORO_MAX_TOKENS: 510,
    /** Long text is cut into chunks of at most this many characters before phonemization. */
    CHUNK_MAX_CHARS: 300,
    /** Crossfade between consecutive chunks' audio. */
    CROSSFADE_MS: 10,
    /** A short first chunk gets the first audio of a stream out sooner (a clause, not a paragraph). */
    FIRST_CHUNK_MAX_CHARS: 100,
    /**
     * Each chunk after the first may be this much longer than the one before (100, 125, 156,
     * 195, 244, 300 characters), so a chunk is made before the audio ahead of it has played
     * out wherever the model runs faster than 1/1.25 of real time. Straight from 100 to 300, the
     * second chunk took longer to make than the first took to play on a CPU (bench:tts stallMs).
     */
    CHUNK_GROWTH: 1.25,
    /**
     * Chunks after the first are phonemized together, up to this many characters per phonemizer
     * run: one espeak-ng start-up per group instead of per chunk, while the next chunk waits for
     * at most one group (about 0.2 s here).
     */
    PREPARE_BATCH_MAX_CHARS: 2_000,
    /**
     * Texts up to this long are phonemized by espeak-ng's WASM build inside the worker (about
     * 20-35 ms, no process to start); longer ones and batches by Debian's espeak-ng, which costs
     * ~55 ms to start but reads faster (the two cross near 300 characters on this machine).
     */
    IN_PROCESS_PHONEMIZE_MAX_CHARS: 200,
    /** OpenAI's `instructions` are accepted (and ignored: no engine here takes them) up to this size. */
    INSTRUCTIONS_MAX_CHARS: 4_096,
    /** espeak-ng (basic voice) and ffmpeg (encoding) are killed after this long. */
    BASIC_SYNTH_TIMEOUT_MS: 60_000,
    ENCODE_TIMEOUT_MS: 120_000,
    /** Largest WAV espeak-ng may write for one chunk, and largest encoded output read from ffmpeg. */
    MAX_TOOL_OUTPUT_BYTES: 512 * 1024 * 1024,
  },
} as const;

/**
 * Rate-limit policies, per endpoint and per identity (see lib/rate-limit). Kept outside LIMITS
 * because entries carry words (identity, failMode) and LIMITS holds only numbers.
 * failMode: what happens when the store is down or slow. Routes that spend compute fail
 * "closed" (503); cheap ones fail "open" (the request goes through unmetered).
 * identity: "principal" = signed-in user, else API key, else client IP; "ip" = always the
 * client IP; "account" = the account being signed into (the caller names it).
 */
export const RATE_LIMITS = {
  /** Every /api request, checked at the edge (proxy.ts) per client IP. */
  global: {
    windows: [
      { limit: 1000, windowSeconds: 60 },
      { limit: 10_000, windowSeconds: 60 * 60 },
    ],
    identity: "ip",
    failMode: "open",
  },
  transcription: {
    windows: [
      { limit: 10, windowSeconds: 60 },
      { limit: 100, windowSeconds: 60 * 60 },
    ],
    identity: "principal",
    failMode: "closed",
  },
  translation: {
    windows: [
      { limit: 20, windowSeconds: 60 },
      { limit: 300, windowSeconds: 60 * 60 },
    ],
    identity: "principal",
    failMode: "closed",
  },
  speech: {
    windows: [
      { limit: 15, windowSeconds: 60 },
      { limit: 200, windowSeconds: 60 * 60 },
    ],
    identity: "principal",
    failMode: "closed",
  },
  /**
   * A speech job's audio played while it is made (GET /api/jobs/:id/audio): each stream runs an
   * encoder on the backend, so opening them is metered; the studio opens one per Generate.
   */
  "live-audio": {
    windows: [
      { limit: 30, windowSeconds: 60 },
      { limit: 300, windowSeconds: 60 * 60 },
    ],
    identity: "principal",
    failMode: "closed",
  },
  /** Model files for in-browser previews: generous (a model is several files) but bounded. */
  "model-download": {
    windows: [
      { limit: 120, windowSeconds: 60 },
      { limit: 1000, windowSeconds: 60 * 60 },
    ],
    identity: "principal",
    failMode: "open",
  },
  "sign-in-account": {
    windows: [{ limit: 5, windowSeconds: 60 }],
    identity: "account",
    failMode: "closed",
  },
  "sign-in-ip": {
    windows: [{ limit: 5, windowSeconds: 60 }],
    identity: "ip",
    failMode: "closed",
  },
} as const satisfies Record<string, RateLimitPolicySpec>;

export type RateLimitPolicyName = keyof typeof RATE_LIMITS;

/** Exponential sign-in backoff: seconds to wait after `failures` failed attempts in a row. */
export function signInBackoffSeconds(failures: number): number {
  const { FAILURES_BEFORE_BACKOFF, BACKOFF_BASE_SECONDS, BACKOFF_MAX_SECONDS } = LIMITS.auth;
  if (failures < FAILURES_BEFORE_BACKOFF) return 0;
  const doublings = failures - FAILURES_BEFORE_BACKOFF;
  return Math.min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.min(doublings, 30));
}

/** Days a job's result is kept, from its owner's tier when the job is created. */
export function retentionDays(tier: "free" | "pro"): number {
  return tier === "pro" ? LIMITS.jobs.RETENTION_DAYS_PRO : LIMITS.jobs.RETENTION_DAYS_FREE;
}
