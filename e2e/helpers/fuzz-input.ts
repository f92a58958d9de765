/**
 * Malformed requests for the fuzz run, from a seeded generator: the same seed and index always
 * give the same request, so a failure printed as "seed S #i" is replayed exactly. Half random
 * bytes, half structured mutations of requests the app accepts (a field of the wrong type, a
 * truncated document, a broken multipart boundary, a hostile header).
 */
import { randomUUID } from "node:crypto";

/** mulberry32: small, fast, and good enough to pick mutations. */
export function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const bytes = (length: number) => Buffer.from(Array.from({ length }, () => int(256)));
  return { next, int, pick, bytes };
}
export type Rng = ReturnType<typeof prng>;

export interface FuzzContext {
  /** A valid key with every scope, a real job id and share token of its owner. */
  key: string;
  jobId: string;
  shareToken: string;
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

const ROUTES: readonly [string, string][] = [
  ["GET", "/api/jobs"],
  ["POST", "/api/jobs"],
  ["POST", "/api/jobs"],
  ["POST", "/api/jobs"],
  ["GET", "/api/jobs/{id}"],
  ["DELETE", "/api/jobs/{id}"],
  ["GET", "/api/jobs/{id}/events"],
  ["GET", "/api/jobs/{id}/files/{name}"],
  ["POST", "/api/jobs/{id}/share"],
  ["POST", "/api/jobs/{id}/share"],
  ["DELETE", "/api/shares/{token}"],
  ["GET", "/api/health"],
  ["GET", "/api/models/{model}/{file}"],
  ["GET", "/api/auth/session"],
  ["POST", "/api/auth/callback/credentials"],
  ["GET", "/v1/models"],
  ["GET", "/v1/audio/voices"],
  ["GET", "/r/{token}"],
  ["GET", "/r/{token}/files/{name}"],
  ["GET", "/account"],
  ["GET", "/history"],
  ["GET", "/"],
];
const ODD_METHODS = ["PUT", "PATCH", "DELETE", "POST", "HEAD", "OPTIONS"];

const hostileSegments = [
  "not-a-uuid",
  "..%2F..%2Fetc%2Fpasswd",
  "%00",
  "%E0%A4%A",
  "%F0%9F%92%A9",
  "a".repeat(1500),
  "00000000-0000-0000-0000-000000000000",
  "transcript.srt",
  "%2e%2e",
  "speech.wav%00.txt",
];

function segment(rng: Rng, real: string): string {
  const roll = rng.next();
  if (roll < 0.3) return real;
  if (roll < 0.5) return randomUUID();
  return rng.pick(hostileSegments);
}

function fillPath(rng: Rng, template: string, context: FuzzContext): string {
  let path = template
    .replace("{id}", segment(rng, context.jobId))
    .replace("{name}", segment(rng, rng.pick(["speech.wav", "transcript.json", "transcript.srt"])))
    .replace("{token}", segment(rng, context.shareToken))
    .replace("{model}", segment(rng, "kokoro-82m-v1.0-voices"))
    .replace("{file}", segment(rng, "config.json"));
  if (rng.next() < 0.15)
    path += rng.pick(["?x=%", "?a=1&a=2", `?${"q".repeat(2000)}=1`, "?__proto__[x]=1", "#frag"]);
  return path;
}

const VALID_SPEECH = { kind: "speech", input: "Hello there.", format: "wav", voice: "af_heart", speed: 1 };
const STRANGE_VALUES: unknown[] = [
  null,
  true,
  -1,
  1e308,
  -0,
  "",
  "x".repeat(70_000),
  [],
  {},
  [[[[[[]]]]]],
  { __proto__: { polluted: true } },
  "\u0000\u202e\ud800",
  "<script>alert(1)</script>",
  Number.MAX_SAFE_INTEGER,
  "NaN",
];

function mutatedJson(rng: Rng): string {
  const body: Record<string, unknown> = { ...VALID_SPEECH };
  const keys = [...Object.keys(body), "__proto__", "constructor", "prototype", "extra", ""];
  for (let i = 0, n = 1 + rng.int(3); i < n; i++) {
    const key = rng.pick(keys);
    if (rng.next() < 0.3) delete body[key];
    else body[key] = rng.pick(STRANGE_VALUES);
  }
  // Always invalid somehow, so the run never fills the queue with real jobs.
  body.speed = rng.pick([0, -3, 99, "fast", null]);
  let text = JSON.stringify(body);
  const roll = rng.next();
  if (roll < 0.2) text = text.slice(0, rng.int(text.length));
  else if (roll < 0.3) text = text.replace(/"/, "'");
  else if (roll < 0.35) text = `${text}${text}`;
  else if (roll < 0.4) text = `\ufeff${text}`;
  return text;
}

function jsonBody(rng: Rng): { type: string; body: Buffer } {
  const roll = rng.next();
  const type = rng.pick([
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=utf-16",
    "application/JSON",
  ]);
  if (roll < 0.25) return { type, body: rng.bytes(rng.int(4096)) };
  if (roll < 0.3) return { type, body: Buffer.from("[".repeat(1 + rng.int(200_000))) };
  if (roll < 0.35) return { type, body: Buffer.from(`{"a":${"1".repeat(1 + rng.int(100_000))}}`) };
  if (roll < 0.4) return { type, body: Buffer.alloc(0) };
  return { type, body: Buffer.from(mutatedJson(rng)) };
}

function multipartBody(rng: Rng): { type: string; body: Buffer } {
  const boundary = `----fuzz${rng.int(1e9)}`;
  const declared = rng.pick([boundary, `${boundary}x`, "", `"${boundary}"`, "a".repeat(200)]);
  const type = declared ? `multipart/form-data; boundary=${declared}` : "multipart/form-data";
  const parts: Buffer[] = [];
  const fieldName = rng.pick([
    "file",
    "file",
    "prompt",
    "language",
    "temperature",
    "timestamp_granularities[]",
    "x\r\nInjected: 1",
  ]);
  const filename = rng.pick(["a.wav", "../../a.wav", "a\r\nContent-Type: text/html", "", "😀.mp3"]);
  const content = rng.pick([
    () => rng.bytes(rng.int(8192)),
    () => Buffer.from("<!DOCTYPE html><html>"),
    () => Buffer.concat([Buffer.from("RIFF\xff\xff\xff\xffWAVEfmt ", "latin1"), rng.bytes(64)]),
    () => Buffer.from("ID3\x04\x00\x00\x7f\x7f\x7f\x7f", "latin1"),
    () => Buffer.from("fLaC"),
  ])();
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${fieldName}"; filename="${filename}"\r\nContent-Type: audio/wav\r\n\r\n`,
    ),
    content,
    Buffer.from("\r\n"),
  );
  for (let i = 0, n = rng.int(4); i < n; i++) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${rng.pick(["temperature", "language", "prompt", "task"])}"\r\n\r\n${rng.pick(["9", "-1", "xx", "transcribe", "translate", "\u0000", "z".repeat(5000)])}\r\n`,
      ),
    );
  }
  if (rng.next() > 0.2) parts.push(Buffer.from(`--${boundary}--\r\n`));
  let body = Buffer.concat(parts);
  if (rng.next() < 0.2) body = body.subarray(0, rng.int(body.length));
  return { type, body };
}

function hostileHeaders(rng: Rng, context: FuzzContext): Record<string, string> {
  const headers: Record<string, string> = {};
  const auth = rng.next();
  if (auth < 0.45) headers.authorization = `Bearer ${context.key}`;
  else if (auth < 0.55)
    headers.authorization = `Bearer ${context.key.slice(0, -1)}${rng.pick(["x", "", "==", " extra"])}`;
  else if (auth < 0.65)
    headers.authorization = rng.pick([
      "Bearer",
      "Basic YTpi",
      "Bearer parla_",
      `Bearer ${"k".repeat(8000)}`,
      "bearer  x",
      "Digest x",
    ]);
  if (rng.next() < 0.15) {
    headers.cookie = rng.pick([
      `authjs.session-token=${rng.bytes(40).toString("base64url")}`,
      "authjs.session-token=",
      `__Secure-authjs.session-token=${"a".repeat(4000)}`,
      "a=b; ; =; authjs.csrf-token=x",
    ]);
  }
  if (rng.next() < 0.15)
    headers.origin = rng.pick(["null", "https://evil.example", "not a url", "https://allowed.example"]);
  if (rng.next() < 0.1)
    headers.range = rng.pick(["bytes=abc", "bytes=999999999-", "bytes=5-1", "bytes=0-0,1-1,2-2"]);
  if (rng.next() < 0.1) headers["if-none-match"] = rng.pick(["*", '"x"', "W/", "x".repeat(3000)]);
  if (rng.next() < 0.1) headers["accept-encoding"] = rng.pick(["*", "br;q=x", "identity;q=0"]);
  if (rng.next() < 0.1) headers["x-forwarded-host"] = rng.pick(["evil.example", "", "a:b:c"]);
  // The last X-Forwarded-For entry is the client (one trusted hop); a new one per request keeps
  // the edge's per-client limit from answering instead of the routes.
  const client = `10.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
  const junk =
    rng.next() < 0.3
      ? `${rng.pick(["unknown", "::1", "999.1.1.1", "[::ffff:1.2.3.4]:80", "x".repeat(500)])}, `
      : "";
  headers["x-forwarded-for"] = `${junk}${client}`;
  return headers;
}

/** The `index`th request of the run with this seed. */
export function fuzzRequest(seed: number, index: number, context: FuzzContext): FuzzRequest {
  const rng = prng(seed ^ Math.imul(index + 1, 0x9e3779b1));
  const [routeMethod, template] = rng.pick(ROUTES);
  const method = rng.next() < 0.1 ? rng.pick(ODD_METHODS) : routeMethod;
  const headers = hostileHeaders(rng, context);
  const request: FuzzRequest = { method, path: fillPath(rng, template, context), headers };
  if (method === "GET" || method === "HEAD") return request;
  const kind = rng.next();
  const made =
    kind < 0.55
      ? jsonBody(rng)
      : kind < 0.85
        ? multipartBody(rng)
        : {
            type: rng.pick([
              "text/plain",
              "application/x-www-form-urlencoded",
              "application/octet-stream",
              "",
            ]),
            body: rng.bytes(rng.int(2048)),
          };
  if (made.type) headers["content-type"] = made.type;
  request.body = made.body;
  return request;
}
