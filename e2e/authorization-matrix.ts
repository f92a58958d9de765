/**
 * The authorization matrix as data: every route × every kind of caller → the status it must
 * get. Add a route by adding a row. The spec (authorization-matrix.spec.ts) builds the cast and
 * the targets, asks every cell, and compares the whole table at once; it also fails when a
 * route handler in app/ has no row.
 *
 * Columns: anonymous (no credential); user (the owner, by session cookie); other (another user's
 * session, on the owner's things); admin (an admin's session, on the owner's things: admins
 * manage the service, not people's private results); key (the owner's key with every scope);
 * revokedKey; unscopedKey (the owner's key lacking the row's scope).
 * - A missing or bad credential on the API: 401 with WWW-Authenticate.
 * - A valid key without the route's scope: 403.
 * - Someone else's job or share: 404, the same as one that does not exist, so ids cannot be probed.
 * - Pages need a session: without one (a key is not a session) they redirect to sign-in (307).
 * - Admin routes: an admin's session only here (the owner is not an admin, so no owner key may
 *   hold the admin scope); signed-in non-admins get 403 from the API and 404 from the page.
 * - Where a real answer would run a long job, the row sends a field that validation refuses:
 *   passing the gates then shows as that 400, failing them as 401/403.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ApiKeyScope } from "@/lib/schemas/api-keys";

export const IDENTITIES = [
  "anonymous",
  "user",
  "other",
  "admin",
  "key",
  "revokedKey",
  "unscopedKey",
] as const;
export type Identity = (typeof IDENTITIES)[number];
export type Expected = Record<Identity, number>;

/** What the rows point at, made by the spec before the first request. */
export interface Targets {
  /** The owner's finished speech job, one of its files, and a live share of it. */
  jobId: string;
  fileName: string;
  shareToken: string;
  /** For destructive rows: a new job or share of the owner's per cell. */
  freshJob(): Promise<string>;
  freshShare(): Promise<string>;
  /** A short real recording (WAV) for transcription uploads. */
  recording: Buffer;
}

export type RowBody =
  | { data: unknown }
  | { multipart: Record<string, string | { name: string; mimeType: string; buffer: Buffer }> };

export interface MatrixRow {
  method: "GET" | "POST" | "DELETE" | "PATCH";
  /** The route as written in app/, for the report. */
  route: string;
  path(targets: Targets): string | Promise<string>;
  /** The scope an API key needs here (the unscopedKey column lacks exactly this one). */
  scope?: ApiKeyScope;
  /** path() makes a new target for every cell (the request destroys it). */
  destructive?: boolean;
  body?(targets: Targets): RowBody;
  expect: Expected;
}

const owned = (ok: number): Expected => ({
  anonymous: 401,
  user: ok,
  other: 404,
  admin: 404,
  key: ok,
  revokedKey: 401,
  unscopedKey: 403,
});
/** Anyone signed in or holding a key acts on their own account (creating, listing). */
const ownAccount = (ok: number): Expected => ({
  anonymous: 401,
  user: ok,
  other: ok,
  admin: ok,
  key: ok,
  revokedKey: 401,
  unscopedKey: 403,
});
/** Any valid credential, no scope needed. */
const anyCredential = (ok: number): Expected => ({ ...ownAccount(ok), unscopedKey: ok });
/** Public by design: credentials are not looked at. */
const everyone = (ok: number): Expected => ({
  anonymous: ok,
  user: ok,
  other: ok,
  admin: ok,
  key: ok,
  revokedKey: ok,
  unscopedKey: ok,
});
/** Admin API: only an admin's session (the owner's keys never carry the admin scope). */
const adminOnly = (ok: number): Expected => ({
  anonymous: 401,
  user: 403,
  other: 403,
  admin: ok,
  key: 403,
  revokedKey: 401,
  unscopedKey: 403,
});
/** A job id, block id or user id that exists nowhere. */
const NOBODY = "00000000-0000-4000-8000-000000000000";
const ORT_VERSION = (
  JSON.parse(readFileSync(path.resolve("node_modules/onnxruntime-web/package.json"), "utf8")) as {
    version: string;
  }
).version;
const page: Expected = {
  anonymous: 307,
  user: 200,
  other: 200,
  admin: 200,
  key: 307,
  revokedKey: 307,
  unscopedKey: 307,
};

export const AUTHORIZATION_MATRIX: readonly MatrixRow[] = [
  { method: "GET", route: "/api/health", path: () => "/api/health", expect: everyone(200) },
  { method: "GET", route: "/api/auth/session", path: () => "/api/auth/session", expect: everyone(200) },
  {
    method: "GET",
    route: "/api/models/[id]/[...path]",
    path: () => "/api/models/kokoro-82m-v1.0-voices/config.json",
    expect: everyone(200),
  },
  { method: "GET", route: "/api/jobs", path: () => "/api/jobs", scope: "results", expect: ownAccount(200) },
  {
    method: "POST",
    route: "/api/jobs (speech)",
    path: () => "/api/jobs",
    scope: "speech",
    body: () => ({ data: { kind: "speech", input: "Hi.", format: "wav" } }),
    expect: ownAccount(202),
  },
  {
    method: "POST",
    route: "/api/jobs (transcription)",
    path: () => "/api/jobs",
    scope: "transcription",
    body: (targets) => ({
      multipart: { file: { name: "hello.wav", mimeType: "audio/wav", buffer: targets.recording } },
    }),
    expect: ownAccount(202),
  },
  {
    method: "GET",
    route: "/api/jobs/[id]",
    path: (t) => `/api/jobs/${t.jobId}`,
    scope: "results",
    expect: owned(200),
  },
  {
    method: "DELETE",
    route: "/api/jobs/[id]",
    path: (t) => t.freshJob().then((id) => `/api/jobs/${id}`),
    scope: "results",
    destructive: true,
    expect: owned(200),
  },
  {
    method: "GET",
    route: "/api/jobs/[id]/events",
    path: (t) => `/api/jobs/${t.jobId}/events`,
    scope: "results",
    expect: owned(200),
  },
  {
    method: "GET",
    route: "/api/jobs/[id]/files/[name]",
    path: (t) => `/api/jobs/${t.jobId}/files/${t.fileName}`,
    scope: "results",
    expect: owned(200),
  },
  {
    method: "GET",
    route: "/api/jobs/[id]/audio",
    // The target job has finished, so passing every gate shows as 409 (its file is the way now).
    path: (t) => `/api/jobs/${t.jobId}/audio`,
    scope: "results",
    expect: owned(409),
  },
  {
    method: "POST",
    route: "/api/jobs/[id]/share",
    path: (t) => `/api/jobs/${t.jobId}/share`,
    scope: "results",
    expect: owned(201),
  },
  {
    method: "DELETE",
    route: "/api/shares/[token]",
    path: (t) => t.freshShare().then((token) => `/api/shares/${token}`),
    scope: "results",
    destructive: true,
    expect: owned(200),
  },
  { method: "GET", route: "/v1/models", path: () => "/v1/models", expect: anyCredential(200) },
  { method: "GET", route: "/v1/audio/voices", path: () => "/v1/audio/voices", expect: anyCredential(200) },
  { method: "GET", route: "/r/[token]", path: (t) => `/r/${t.shareToken}`, expect: everyone(200) },
  {
    method: "GET",
    route: "/r/[token]/files/[name]",
    path: (t) => `/r/${t.shareToken}/files/${t.fileName}`,
    expect: everyone(200),
  },
  { method: "GET", route: "/account", path: () => "/account", expect: page },
  { method: "GET", route: "/history", path: () => "/history", expect: page },
  { method: "GET", route: "/admin", path: () => "/admin", expect: { ...page, user: 404, other: 404 } },
  { method: "GET", route: "/blocked", path: () => "/blocked", expect: everyone(200) },
  {
    method: "GET",
    route: "/api/tts/preview",
    path: () => "/api/tts/preview",
    scope: "speech",
    expect: ownAccount(200),
  },
  {
    method: "GET",
    route: "/ort/[version]/[file]",
    path: () => `/ort/${ORT_VERSION}/ort-wasm-simd-threaded.mjs`,
    expect: everyone(200),
  },
  {
    method: "POST",
    route: "/v1/audio/speech",
    path: () => "/v1/audio/speech",
    scope: "speech",
    body: () => ({ data: { model: "tts-1", input: "Hi.", voice: "alloy", response_format: "wav" } }),
    expect: ownAccount(200),
  },
  ...(["transcriptions", "translations"] as const).map(
    (task): MatrixRow => ({
      method: "POST",
      route: `/v1/audio/${task}`,
      path: () => `/v1/audio/${task}`,
      scope: "transcription",
      body: (targets) => ({
        multipart: {
          file: { name: "hello.wav", mimeType: "audio/wav", buffer: targets.recording },
          model: "not-a-model",
        },
      }),
      expect: ownAccount(400),
    }),
  ),
  ...(["limits", "queue", "blocks", "users", "audit"] as const).map(
    (name): MatrixRow => ({
      method: "GET",
      route: `/api/admin/${name}`,
      path: () => `/api/admin/${name}`,
      expect: adminOnly(200),
    }),
  ),
  {
    method: "POST",
    route: "/api/admin/blocks",
    path: () => "/api/admin/blocks",
    // TEST-NET-1, for a minute: nothing in the suite connects from there.
    body: () => ({
      data: { kind: "network", target: "192.0.2.0/24", reason: "matrix", expiresInSeconds: 60 },
    }),
    expect: adminOnly(201),
  },
  {
    method: "DELETE",
    route: "/api/admin/blocks/[id]",
    path: () => `/api/admin/blocks/${NOBODY}`,
    expect: adminOnly(404),
  },
  {
    method: "PATCH",
    route: "/api/admin/users/[id]",
    path: () => `/api/admin/users/${NOBODY}`,
    body: () => ({ data: { tier: "pro" } }),
    expect: adminOnly(404),
  },
];
