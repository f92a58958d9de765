/**
 * Every route × every kind of caller against the real app (rows in authorization-matrix.ts).
 * The whole table is compared at once, so a failure shows every wrong cell, not the first.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { routeHandlerPatterns } from "../scripts/route-patterns";
import {
  AUTHORIZATION_MATRIX,
  IDENTITIES,
  type Identity,
  type MatrixRow,
  type Targets,
} from "./authorization-matrix";
import { expect, test } from "./fixtures";
import { asClient } from "./helpers/client-address";
import { type Cast, createCast } from "./helpers/identities";

const MIRROR = process.env.MODEL_MIRROR_DIR ?? path.resolve("../shared/models");
const RECORDING = path.join(MIRROR, "test", "whisper-tiny-random", "jfk_16k.wav");
/** What a stack trace or an internal path looks like in a body. */
const LEAK = /\n\s+at |node_modules|\.tsx?:\d+|webpack-internal|Error: /;

test.describe.configure({ timeout: 300_000 });

test("every route handler in app/ has a row in the matrix", () => {
  // A row's route is written as in app/ ("/api/jobs/[id]/share"), with an optional " (variant)".
  const rows = AUTHORIZATION_MATRIX.map((row) => row.route.replace(/ \(.*\)$/, ""));
  const missing = routeHandlerPatterns(path.resolve("app"))
    .filter((pattern) => !rows.some((route) => pattern.test(route)))
    .map((pattern) => pattern.source);
  expect(missing).toEqual([]);
});

async function finishedJob(request: APIRequestContext, auth: Record<string, string>): Promise<string> {
  const created = await request.post("/api/jobs", {
    headers: auth,
    data: { kind: "speech", input: "The matrix job.", format: "wav" },
  });
  expect(created.status()).toBe(202);
  const { id } = (await created.json()) as { id: string };
  await expect
    .poll(
      async () =>
        ((await (await request.get(`/api/jobs/${id}`, { headers: auth })).json()) as { status: string })
          .status,
      { timeout: 120_000 },
    )
    .toBe("succeeded");
  return id;
}

test("authorization matrix: every route × anonymous, user, another user, admin, valid, revoked and unscoped key", async ({
  browser,
  playwright,
  baseURL,
}) => {
  const cast: Cast = await createCast(browser);
  const bare = await playwright.request.newContext({ baseURL, extraHTTPHeaders: asClient() });
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const ownerKey = bearer(cast.keys.all);

  const jobId = await finishedJob(bare, ownerKey);
  const job = (await (await bare.get(`/api/jobs/${jobId}`, { headers: ownerKey })).json()) as {
    result: { files: { name: string }[] };
  };
  const newShare = async () => {
    const response = await bare.post(`/api/jobs/${jobId}/share`, { headers: ownerKey });
    expect(response.status()).toBe(201);
    return ((await response.json()) as { token: string }).token;
  };
  const targets: Targets = {
    jobId,
    fileName: job.result.files[0]?.name ?? "",
    shareToken: await newShare(),
    async freshJob() {
      const response = await bare.post("/api/jobs", {
        headers: ownerKey,
        data: { kind: "speech", input: "Delete me.", format: "wav" },
      });
      expect(response.status()).toBe(202);
      return ((await response.json()) as { id: string }).id;
    },
    freshShare: newShare,
    recording: readFileSync(RECORDING),
  };

  function caller(
    identity: Identity,
    row: MatrixRow,
  ): { request: APIRequestContext; headers: Record<string, string> } {
    switch (identity) {
      case "anonymous":
        return { request: bare, headers: {} };
      case "user":
        return { request: cast.owner.request, headers: {} };
      case "other":
        return { request: cast.other.request, headers: {} };
      case "admin":
        return { request: cast.admin.request, headers: {} };
      case "key":
        return { request: bare, headers: ownerKey };
      case "revokedKey":
        return { request: bare, headers: bearer(cast.keys.revoked) };
      case "unscopedKey":
        // A row with no scope: any key lacking something (here: speech) must still do.
        return { request: bare, headers: bearer(cast.keys.without[row.scope ?? "speech"]) };
    }
  }

  async function ask(row: MatrixRow, identity: Identity, target: string): Promise<APIResponse> {
    const { request, headers } = caller(identity, row);
    const body = row.body?.(targets);
    return request.fetch(target, {
      method: row.method,
      headers,
      maxRedirects: 0,
      timeout: 30_000,
      ...(body && "data" in body ? { data: body.data } : {}),
      ...(body && "multipart" in body ? { multipart: body.multipart } : {}),
    });
  }

  const expected: Record<string, number | string> = {};
  const actual: Record<string, number | string> = {};
  const problems: string[] = [];
  /** Cells slower than this are printed: a slow cell is how a hang starts. */
  const SLOW_CELL_MS = 5_000;
  for (const row of AUTHORIZATION_MATRIX) {
    for (const identity of IDENTITIES) {
      const cell = `${row.method} ${row.route} as ${identity}`;
      expected[cell] = row.expect[identity];
      const started = Date.now();
      // A request that fails (a timeout) becomes its cell's value, so the table is still compared whole.
      let target: string | undefined;
      const response = await (async () => {
        target = await row.path(targets);
        return ask(row, identity, target);
      })().catch((error: Error) => error);
      const elapsed = Date.now() - started;
      if (elapsed > SLOW_CELL_MS) console.log(`authorization matrix: ${cell} took ${elapsed} ms`);
      // A refused destructive cell leaves the owner's fresh job (or share) alive: the owner removes
      // it, or those jobs would hold the owner's active-job cap (5) and later cells would get 429.
      if (row.destructive && target !== undefined) await bare.delete(target, { headers: ownerKey });
      if (response instanceof Error) {
        actual[cell] = `no answer after ${elapsed} ms: ${response.message.split("\n")[0]}`;
        continue;
      }
      actual[cell] = response.status();
      if (response.status() === 401 && !/^Bearer /.test(response.headers()["www-authenticate"] ?? "")) {
        problems.push(`${cell}: 401 without WWW-Authenticate: Bearer`);
      }
      if (response.status() >= 400) {
        const text = await response.text();
        if (LEAK.test(text)) problems.push(`${cell}: the error body leaks internals: ${text.slice(0, 200)}`);
      }
      // Jobs made by the create rows are removed at once, so they neither queue nor count.
      if (response.status() === 202 && row.method === "POST") {
        const { id } = (await response.json()) as { id: string };
        const owner =
          identity === "other" ? cast.other.request : identity === "admin" ? cast.admin.request : bare;
        await owner.delete(`/api/jobs/${id}`, { headers: owner === bare ? ownerKey : {} });
      }
    }
  }
  expect(actual).toEqual(expected);
  expect(problems).toEqual([]);
  await bare.dispose();
  await cast.close();
});
