/**
 * Logs hold no text, audio, transcripts, keys or tokens. A full pass (speech job with a
 * distinctive sentence, a transcription upload with a distinctive prompt and file name, a shared
 * result opened by a stranger, API-key requests, a failed sign-in with a distinctive password)
 * then every line the web app and backend wrote (DATA_DIR/server.log, see playwright.config.ts)
 * is searched for each secret.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { asClient } from "./helpers/client-address";
import { createApiKey } from "./helpers/parla-cli";

/** `parla_` + 8 visible characters + `_`: see API_KEY_PATTERN in lib/schemas/api-keys.ts. */
const API_KEY_SECRET_OFFSET = "parla_".length + 8 + 1;

const MIRROR = process.env.MODEL_MIRROR_DIR ?? path.resolve("../shared/models");
const RECORDING = path.join(MIRROR, "test", "whisper-tiny-random", "jfk_16k.wav");
const SERVER_LOG = path.join(process.env.PARLA_E2E_DATA_DIR ?? "", "server.log");

test("no log line holds the submitted text, prompt, file name, password, API key or share token", async ({
  page,
  auth,
  account,
  playwright,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const canary = () => `canary${randomBytes(8).toString("hex")}`;
  const sentence = `The ${canary()} sails at dawn.`;
  const prompt = `Glossary ${canary()}`;
  const fileName = `${canary()}.wav`;
  const wrongPassword = `pw-${canary()}`;

  await auth.signUp(account);
  await expect(page.getByTestId("home-title")).toBeVisible();
  const key = createApiKey(account.email, ["speech", "transcription", "results"]);
  const api = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { ...asClient(), authorization: `Bearer ${key}` },
  });

  const speech = await api.post("/api/jobs", { data: { kind: "speech", input: sentence, format: "wav" } });
  expect(speech.status()).toBe(202);
  const { id: speechId } = (await speech.json()) as { id: string };
  const transcription = await api.post("/api/jobs", {
    multipart: {
      file: { name: fileName, mimeType: "audio/wav", buffer: readFileSync(RECORDING) },
      prompt,
      language: "en",
    },
  });
  expect(transcription.status()).toBe(202);
  const { id: transcriptionId } = (await transcription.json()) as { id: string };
  for (const id of [speechId, transcriptionId]) {
    await expect
      .poll(async () => ((await (await api.get(`/api/jobs/${id}`)).json()) as { status: string }).status, {
        timeout: 150_000,
      })
      .toBe("succeeded");
  }
  // Transcript text is the model's (noise from the random-weight fixture): it must not be logged either.
  const transcript = (
    (await (await api.get(`/api/jobs/${transcriptionId}`)).json()) as { result: { text?: string } }
  ).result.text;

  const share = (await (await api.post(`/api/jobs/${speechId}/share`)).json()) as {
    token: string;
    url: string;
  };
  const stranger = await playwright.request.newContext({ baseURL, extraHTTPHeaders: asClient() });
  expect((await stranger.get(share.url)).status()).toBe(200);
  expect((await stranger.get(`${share.url}/files/speech.wav`)).status()).toBeLessThan(500);
  expect((await api.get("/v1/models")).status()).toBe(200);
  // A bad key and a failed sign-in are logged as events, never with what was sent.
  expect((await stranger.get("/v1/models", { headers: { authorization: `Bearer ${key}x` } })).status()).toBe(
    401,
  );
  await page.goto("/");
  await auth.signOut();
  // The sign-out's own navigation must land before the next one starts.
  await expect(page.getByTestId("notice")).toHaveText("You are signed out.");
  await auth.signIn(account.email, wrongPassword);
  await expect(page.getByTestId("form-error")).toHaveText("Wrong email or password.");
  await api.dispose();
  await stranger.dispose();

  // Give the processes a moment to flush what they wrote.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const log = readFileSync(SERVER_LOG, "utf8");
  // The log is real: the backend wrote a request line for the jobs above.
  expect(log).toMatch(/"msg":"request"/);
  // The wrong password is one structured warning naming its type, not Auth.js's own stack trace.
  const authLines = log.split("\n").filter((line) => line.includes('"service":"parla-auth"'));
  expect(authLines.some((line) => line.includes('"type":"CredentialsSignin"'))).toBe(true);
  expect(log).not.toContain("[auth][error]");
  const secrets = {
    sentence,
    prompt,
    fileName,
    wrongPassword,
    password: account.password,
    key,
    // The secret is everything after `parla_XXXXXXXX_`; it is base64url, so it may hold `_` itself
    // (splitting on `_` could take a few-letter tail for the secret and find it in the log by chance).
    keySecret: key.slice(API_KEY_SECRET_OFFSET),
    shareToken: share.token,
    ...(transcript && transcript.trim().length >= 12 ? { transcript: transcript.trim() } : {}),
  };
  expect(secrets.keySecret).toHaveLength(43);
  const found = Object.entries(secrets)
    .filter(([, secret]) => log.includes(secret))
    .map(([name]) => name);
  expect(found).toEqual([]);
});
