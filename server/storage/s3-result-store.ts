/**
 * Results in an S3-compatible bucket under `results/<userId>/<jobId>/<name>`. Uploads stream
 * from the job's folder; reads stream back to the caller without touching local disk.
 */
import { createReadStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import type { ResultStorageConfig } from "@/lib/config/schema";
import type { ByteRange } from "@/lib/http/byte-range";
import { LIMITS } from "@/lib/limits";
import { checkedId, checkedName, type ResultKey, type ResultStore, type StoredResult } from "./result-store";

const PREFIX = "results/";

type S3Settings = Extract<ResultStorageConfig, { kind: "s3" }>;

export class S3ResultStore implements ResultStore {
  readonly description = "S3";
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(settings: S3Settings) {
    this.bucket = settings.bucket;
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      // The SDK's default adds CRC32 checksums to every upload, sending a streamed body in
      // aws-chunked framing with a trailer. Servers that do not speak it (s3rver, older MinIO,
      // Ceph) store the framing as the object's bytes; checksums only where S3 requires them.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      requestHandler: {
        connectionTimeout: LIMITS.results.S3_CONNECT_TIMEOUT_MS,
        requestTimeout: LIMITS.results.S3_REQUEST_TIMEOUT_MS,
      },
    });
  }

  private key({ userId, jobId }: ResultKey, name: string): string {
    return `${PREFIX}${checkedId(userId)}/${checkedId(jobId)}/${checkedName(name)}`;
  }

  async put(key: ResultKey, name: string, source: { path: string; mime: string }): Promise<void> {
    const { size } = await stat(source.path);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key(key, name),
        Body: createReadStream(source.path),
        ContentLength: size,
        ContentType: source.mime,
      }),
    );
    await rm(source.path, { force: true });
  }

  async get(key: ResultKey, name: string, range?: ByteRange): Promise<StoredResult | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.key(key, name),
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      if (!object.Body) return undefined;
      const bytes = object.ContentLength ?? 0;
      // "bytes 100-199/1000"; absent when the server sent the whole object.
      const served = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(object.ContentRange ?? "");
      return {
        body: object.Body.transformToWebStream() as ReadableStream<Uint8Array>,
        bytes,
        size: served ? Number(served[3]) : bytes,
        ...(served ? { range: { start: Number(served[1]), end: Number(served[2]) } } : {}),
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      // A range past the object (it is shorter than its listing says): the whole object.
      if (range && isInvalidRange(error)) return this.get(key, name);
      throw error;
    }
  }

  async list(key: ResultKey): Promise<string[]> {
    const prefix = `${PREFIX}${checkedId(key.userId)}/${checkedId(key.jobId)}/`;
    return (await this.keys(prefix)).map((full) => full.slice(prefix.length)).sort();
  }

  async listUser(userId: string): Promise<string[]> {
    const prefix = `${PREFIX}${checkedId(userId)}/`;
    return (await this.keys(prefix)).map((full) => full.slice(prefix.length)).sort();
  }

  async removeJob(key: ResultKey): Promise<void> {
    await this.removePrefix(`${PREFIX}${checkedId(key.userId)}/${checkedId(key.jobId)}/`);
  }

  async removeUser(userId: string): Promise<void> {
    await this.removePrefix(`${PREFIX}${checkedId(userId)}/`);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private async keys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  private async removePrefix(prefix: string): Promise<void> {
    const keys = await this.keys(prefix);
    for (let i = 0; i < keys.length; i += LIMITS.results.S3_DELETE_BATCH) {
      const batch = keys.slice(i, i + LIMITS.results.S3_DELETE_BATCH);
      const reply = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      // A partial failure comes back as a 200 with a list: never report a delete that did not happen.
      if (reply.Errors?.length) {
        throw new Error(
          `S3 refused to delete ${reply.Errors.length} result object(s): ${reply.Errors[0]?.Code}`,
        );
      }
    }
  }
}

function isInvalidRange(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === "InvalidRange" || error.$metadata.httpStatusCode === 416)
  );
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === "NoSuchKey" || error.name === "NotFound" || error.$metadata.httpStatusCode === 404)
  );
}
