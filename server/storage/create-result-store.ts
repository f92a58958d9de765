/** The result store the settings ask for: S3 when every S3_* setting is given, else local disk. */
import type { ResultStorageConfig } from "@/lib/config/schema";
import { LocalResultStore } from "./local-result-store";
import type { ResultStore } from "./result-store";
import { S3ResultStore } from "./s3-result-store";

export function createResultStore(settings: ResultStorageConfig): ResultStore {
  return settings.kind === "s3" ? new S3ResultStore(settings) : new LocalResultStore(settings.dir);
}
