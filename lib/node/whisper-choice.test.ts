/**
 * The Whisper behind `whisper-1`, chosen from real model stores in temp folders, filled the way
 * `npm run models` fills them (copied from the mirror, hashed against a lock, renamed in place).
 * The real Whispers' pins are not in models.lock.json here (no network to pin them), so the
 * ranking cases use stand-ins: the real manifest entries whose files come from the fixture's
 * bytes, pinned to the fixture's hashes. Every check and the loader's hashing run unchanged.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  chooseWhisper,
  rankedWhispers,
  SUGGESTED_WHISPER,
  WHISPER_RANKING,
  whisperStatus,
} from "@/lib/node/whisper-choice";
import { MODEL_LOCK } from "@/models/lock";
import { MODEL_MANIFEST, WHISPER_FILES } from "@/models/manifest";
import { type ModelEntry, type ModelLock, manifestSchema } from "@/models/schema";
import { WhisperEngine } from "@/server/engines/stt/whisper";
import { installFromMirror } from "@/test/install-models";
import { MODEL_MIRROR_DIR } from "@/test/mirror";

const FIXTURE = "whisper-tiny-random";
const STAND_INS = ["whisper-large-v3-turbo", "whisper-small", "whisper-base"];
const root = mkdtempSync(path.join(tmpdir(), "parla-whisper-choice-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let stores = 0;
function emptyStore(): string {
  const dir = path.join(root, `store-${++stores}`);
  mkdirSync(dir);
  return dir;
}

/** A fixture file for each of the entry's files; large-v3-turbo's external data gets golden.json. */
function standInPath(file: string): string {
  return (WHISPER_FILES as readonly string[]).includes(file) ? file : "golden.json";
}

const standInManifest: readonly ModelEntry[] = manifestSchema.parse(
  MODEL_MANIFEST.map((entry) =>
    STAND_INS.includes(entry.id)
      ? {
          ...entry,
          files: entry.files.map((file) => ({
            ...file,
            mirrorPath: `test/${FIXTURE}/${standInPath(file.path)}`,
          })),
        }
      : entry,
  ),
);

const fixturePins = MODEL_LOCK.models[FIXTURE] ?? {};
const standInLock: ModelLock = {
  version: 1,
  models: {
    ...MODEL_LOCK.models,
    ...Object.fromEntries(
      STAND_INS.map((id) => [
        id,
        Object.fromEntries(
          (standInManifest.find((entry) => entry.id === id)?.files ?? []).map((file) => [
            file.path,
            fixturePins[standInPath(file.path)] ?? { sha256: null, bytes: null },
          ]),
        ),
      ]),
    ),
  },
};
const standIns = { manifest: standInManifest, lock: standInLock };

describe("the ranking", () => {
  it("ranks every real Whisper in the manifest, best first, and the random-weight fixture last", () => {
    const real = MODEL_MANIFEST.filter((entry) => entry.engine === "stt-whisper" && !entry.fixture);
    expect([...WHISPER_RANKING].sort()).toEqual(real.map((entry) => entry.id).sort());
    expect(rankedWhispers()).toEqual([
      "whisper-large-v3-turbo",
      "whisper-small",
      "whisper-base",
      "whisper-tiny",
      FIXTURE,
    ]);
    expect(WHISPER_RANKING).toContain(SUGGESTED_WHISPER);
  });
});

describe("WHISPER_MODEL unset", () => {
  it("with no Whisper installed, names nothing and says what to run", async () => {
    const store = { modelsDir: emptyStore() };
    await installFromMirror(store.modelsDir, ["silero-vad"]);
    const resolution = await chooseWhisper({ setting: undefined, store });
    expect(resolution).toEqual({
      ok: false,
      name: null,
      message: expect.stringContaining("run `npm run models -- whisper-base`"),
    });
    expect(whisperStatus(resolution)).toMatchObject({ status: "missing", model: null });
  });

  it("falls back to the fixture when it is all that is installed", async () => {
    const store = { modelsDir: emptyStore() };
    await installFromMirror(store.modelsDir, [FIXTURE]);
    const resolution = await chooseWhisper({ setting: undefined, store });
    expect(resolution).toEqual({
      ok: true,
      choice: { kind: "store", modelId: FIXTURE, chosenBy: "ranking" },
      name: FIXTURE,
    });
    expect(whisperStatus(resolution)).toEqual({
      status: "available",
      model: FIXTURE,
      source: "store",
      chosenBy: "ranking",
    });
  });

  it("never picks a real Whisper whose files are present but not pinned in the lock", async () => {
    const store = { modelsDir: emptyStore() };
    await installFromMirror(store.modelsDir, [FIXTURE]);
    // whisper-base's files, dropped in by hand: models.lock.json has no hashes for them.
    cpSync(path.join(store.modelsDir, FIXTURE), path.join(store.modelsDir, "whisper-base"), {
      recursive: true,
    });
    expect(MODEL_LOCK.models["whisper-base"]?.["config.json"]?.sha256).toBeNull();
    const resolution = await chooseWhisper({ setting: undefined, store });
    expect(resolution.ok && resolution.name).toBe(FIXTURE);
  });

  it("picks the best installed real Whisper above the fixture, and passes over a half-installed one", async () => {
    const store = { modelsDir: emptyStore(), ...standIns };
    const choose = async () => {
      const resolution = await chooseWhisper({ setting: undefined, store });
      return resolution.ok ? resolution.name : resolution.message;
    };
    await installFromMirror(store.modelsDir, [FIXTURE], standIns);
    expect(await choose()).toBe(FIXTURE);
    await installFromMirror(store.modelsDir, ["whisper-base"], standIns);
    expect(await choose()).toBe("whisper-base");
    await installFromMirror(store.modelsDir, ["whisper-small"], standIns);
    expect(await choose()).toBe("whisper-small");
    await installFromMirror(store.modelsDir, ["whisper-large-v3-turbo"], standIns);
    expect(await choose()).toBe("whisper-large-v3-turbo");

    // A file missing, or one of the wrong size, and the model no longer counts as installed.
    rmSync(path.join(store.modelsDir, "whisper-large-v3-turbo", "onnx", "encoder_model.onnx_data"));
    expect(await choose()).toBe("whisper-small");
    appendFileSync(path.join(store.modelsDir, "whisper-small", "tokenizer.json"), " ");
    expect(await choose()).toBe("whisper-base");

    // What was chosen loads through the same verified path the worker uses.
    const resolution = await chooseWhisper({ setting: undefined, store });
    if (!resolution.ok || resolution.choice.kind !== "store") throw new Error("no store choice");
    const engine = await WhisperEngine.load({ modelId: resolution.choice.modelId, store }, ["cpu"]);
    expect(engine.multilingual).toBe(true);
    await engine.dispose();
  });
});

describe("WHISPER_MODEL set", () => {
  it("wins over the ranking when it names an installed Whisper", async () => {
    const store = { modelsDir: emptyStore(), ...standIns };
    await installFromMirror(store.modelsDir, ["whisper-base", "whisper-small"], standIns);
    expect(await chooseWhisper({ setting: "whisper-base", store })).toEqual({
      ok: true,
      choice: { kind: "store", modelId: "whisper-base", chosenBy: "setting" },
      name: "whisper-base",
    });
  });

  it("names the command for a manifest Whisper that is not installed, without falling back", async () => {
    const store = { modelsDir: emptyStore() };
    await installFromMirror(store.modelsDir, [FIXTURE]);
    expect(await chooseWhisper({ setting: "whisper-small", store })).toEqual({
      ok: false,
      name: "whisper-small",
      message:
        "WHISPER_MODEL is whisper-small, which is not installed: run `npm run models -- whisper-small`",
    });
  });

  it("refuses a manifest id that is not a Whisper", async () => {
    const resolution = await chooseWhisper({ setting: "silero-vad", store: { modelsDir: emptyStore() } });
    expect(resolution).toMatchObject({ ok: false, name: "silero-vad" });
    expect(!resolution.ok && resolution.message).toMatch(
      /^WHISPER_MODEL is silero-vad, which is not a Whisper/,
    );
  });

  it("takes a folder in the transformers.js layout by its name, never its path", async () => {
    const folder = path.join(MODEL_MIRROR_DIR, "test", FIXTURE);
    const resolution = await chooseWhisper({ setting: folder, store: { modelsDir: emptyStore() } });
    expect(resolution).toEqual({
      ok: true,
      choice: { kind: "folder", dir: folder, chosenBy: "setting" },
      name: FIXTURE,
    });
    expect(whisperStatus(resolution)).toEqual({
      status: "available",
      model: FIXTURE,
      source: "folder",
      chosenBy: "setting",
    });
  });

  it("refuses a folder that is not a Whisper, naming the missing files but not the path", async () => {
    const folder = path.join(MODEL_MIRROR_DIR, "test", "piper-vits-random");
    const resolution = await chooseWhisper({ setting: folder, store: { modelsDir: emptyStore() } });
    expect(resolution).toMatchObject({ ok: false, name: "piper-vits-random" });
    const message = resolution.ok ? "" : resolution.message;
    expect(message).toContain("missing config.json");
    expect(message).not.toContain(MODEL_MIRROR_DIR);
  });
});
