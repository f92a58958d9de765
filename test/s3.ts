/**
 * A real S3-compatible server for tests: s3rver on a free loopback port, its objects in a
 * temporary folder, one bucket made ready. Its default credentials are S3RVER / S3RVER.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import type { ResultStorageConfig } from "@/lib/config/schema";

export interface TestS3 {
  settings: Extract<ResultStorageConfig, { kind: "s3" }>;
  /** The same settings as environment variables, for a backend started as a child process. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startTestS3(bucket = "parla-test-results"): Promise<TestS3> {
  const directory = mkdtempSync(path.join(tmpdir(), "parla-s3-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const settings = {
    kind: "s3" as const,
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region: "us-east-1",
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    forcePathStyle: true,
  };
  return {
    settings,
    env: {
      S3_ENDPOINT: settings.endpoint,
      S3_BUCKET: bucket,
      S3_REGION: settings.region,
      S3_ACCESS_KEY_ID: settings.accessKeyId,
      S3_SECRET_ACCESS_KEY: settings.secretAccessKey,
      S3_FORCE_PATH_STYLE: "true",
    },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
