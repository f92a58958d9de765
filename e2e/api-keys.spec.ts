import { execFileSync } from "node:child_process";
import { expect, expectNoAxeViolations, test } from "./fixtures";

/** The operator CLI against the running app's own data folder, as an operator would run it. */
function parla(...args: string[]): string {
  return execFileSync("npx", ["tsx", "scripts/parla.ts", ...args], {
    env: { ...process.env, DATA_DIR: process.env.PARLA_E2E_DATA_DIR, LOG_LEVEL: "silent" },
    encoding: "utf8",
  });
}

test("API keys: scoped, checked on every call, and dead the moment they are revoked", async ({
  page,
  auth,
  account,
  playwright,
  baseURL,
}) => {
  await auth.signUp(account);
  const keyFrom = (output: string) => output.split("\n").find((line) => line.startsWith("parla_")) ?? "";
  const readOnly = keyFrom(parla("key:create", "--email", account.email, "--scopes", "results"));
  const speaker = keyFrom(parla("key:create", "--email", account.email, "--scopes", "speech,results"));
  expect(readOnly).toMatch(/^parla_/);

  // A client with no cookies at all, as a script would be.
  const api = await playwright.request.newContext({ baseURL });
  const as = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });
  const speech = { kind: "speech", input: "Hello from an API key.", format: "wav" };

  const anonymous = await api.get("/api/jobs");
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()["www-authenticate"]).toContain("Bearer");
  expect((await api.get("/api/jobs", { headers: as(`${readOnly.slice(0, -1)}x`) })).status()).toBe(401);

  expect((await api.get("/api/jobs", { headers: as(readOnly) })).status()).toBe(200);
  expect((await api.post("/api/jobs", { headers: as(readOnly), data: speech })).status()).toBe(403);
  const created = await api.post("/api/jobs", { headers: as(speaker), data: speech });
  expect(created.status()).toBe(202);
  const { id } = (await created.json()) as { id: string };
  expect((await api.get(`/api/jobs/${id}`, { headers: as(readOnly) })).status()).toBe(200);

  const models = (await (await api.get("/v1/models", { headers: as(readOnly) })).json()) as {
    data: { id: string }[];
  };
  expect(models.data.map((model) => model.id)).toEqual(
    expect.arrayContaining(["tts-1", "kokoro", "whisper-1"]),
  );
  const voices = (await (await api.get("/v1/audio/voices", { headers: as(readOnly) })).json()) as {
    voices: string[];
  };
  expect(voices.voices).toEqual(expect.arrayContaining(["af_heart", "alloy"]));
  expect((await api.get("/v1/models")).status()).toBe(401);

  parla("key:revoke", "--key", speaker);
  expect((await api.get(`/api/jobs/${id}`, { headers: as(speaker) })).status()).toBe(401);
  await api.dispose();

  // The same from the account page: a key is shown once, listed by prefix, and revocable.
  await page.goto("/account");
  await page.getByRole("checkbox", { name: "transcription" }).uncheck();
  await page.getByRole("button", { name: "Create API key" }).click();
  const shown = await page.getByTestId("new-api-key").textContent();
  expect(shown).toMatch(/^parla_[A-Za-z0-9]{8}_/);
  const listed = page.getByRole("list", { name: "Your API keys" });
  await expect(listed.getByText(`${shown?.slice(0, 14)}… · speech, results`)).toBeVisible();
  await expectNoAxeViolations(page);
  await listed.getByRole("button", { name: `Revoke ${shown?.slice(0, 14)}` }).click();
  await expect(listed.getByRole("button", { name: `Revoke ${shown?.slice(0, 14)}` })).toHaveCount(0);
});
