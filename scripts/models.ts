/**
 * `npm run models [-- ids…|--all]` installs verified model files; `lock` pins their hashes in
 * models/models.lock.json; `verify` re-hashes what is installed. See README "Model store".
 */
import { parseArgs } from "node:util";
import { getConfigOrExit } from "@/lib/node/config";
import { fetchModels } from "@/models/fetch";
import { checkModelFiles } from "@/models/load-node";
import { updateLock } from "@/models/lock";
import { readLockFile, writeLockFile } from "@/models/lock-file";
import { MODEL_MANIFEST } from "@/models/manifest";
import { createProgressReporter } from "@/models/progress";
import { expandModelIds } from "@/models/select";

const USAGE = `usage: npm run models -- [ids… | --all]            install the configured (or given) models
       npm run models -- lock [ids… | --all] [--force]   download and pin hashes in models.lock.json
       npm run models -- verify [ids… | --all]          re-hash installed files against the lock`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { all: { type: "boolean" }, force: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const command = positionals[0] === "lock" || positionals[0] === "verify" ? positionals[0] : "install";
  const config = getConfigOrExit();
  const requested = command === "install" ? positionals : positionals.slice(1);
  const ids = values.all
    ? MODEL_MANIFEST.map((entry) => entry.id)
    : requested.length
      ? requested
      : config.models.ids;
  const entries = expandModelIds(ids);
  const store = { modelsDir: config.models.dir, lock: await readLockFile() };

  if (command === "verify") {
    let bad = 0;
    for (const entry of entries) {
      for (const result of await checkModelFiles(entry.id, store)) {
        if (result.status !== "ok") bad++;
        console.error(`${result.status.padEnd(8)} ${entry.id}/${result.path}`);
      }
    }
    console.error(bad ? `${bad} file(s) failed verification` : "all files verified");
    return bad ? 1 : 0;
  }

  console.error(`models: ${entries.map((e) => e.id).join(", ")} → ${config.models.dir}`);
  if (config.models.mirrorDir) console.error(`mirror: ${config.models.mirrorDir}`);
  const result = await fetchModels({
    ...store,
    entries,
    mirrorDir: config.models.mirrorDir,
    mode: command === "lock" ? "lock" : "install",
    force: values.force,
    onProgress: createProgressReporter(process.stderr),
  });
  if (command === "lock") {
    await writeLockFile(updateLock(store.lock, MODEL_MANIFEST, result.files));
    console.error(`pinned ${result.files.length} file(s) in models/models.lock.json`);
  }
  for (const failure of result.failures) console.error(`error: ${failure.error.message}`);
  return result.failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
