/** The ResultStore conformance suite on local disk and on a real S3-compatible server (s3rver). */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startTestS3, type TestS3 } from "@/test/s3";
import { LocalResultStore } from "./local-result-store";
import { describeResultStoreConformance } from "./result-store.conformance";
import { S3ResultStore } from "./s3-result-store";

describeResultStoreConformance("local disk", async () => {
  const root = mkdtempSync(path.join(tmpdir(), "parla-results-"));
  return {
    open: async () => new LocalResultStore(root),
    reset: async () => rmSync(root, { recursive: true, force: true }),
  };
});

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3?.close();
});

describeResultStoreConformance("S3 (s3rver)", async () => ({
  open: async () => new S3ResultStore(s3.settings),
  // Every test uses fresh person and job ids, so the bucket needs no emptying between them.
  reset: async () => {},
}));
