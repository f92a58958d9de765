/**
 * Where finished results live once a job succeeds: one interface, kept on local disk by
 * default or in an S3-compatible bucket. Keys are `<userId>/<jobId>/<name>`, so one job's
 * results, or everything a person owns, can be removed by prefix, orphans included.
 */
import type { ByteRange } from "@/lib/http/byte-range";

export interface ResultKey {
  userId: string;
  jobId: string;
}

export interface StoredResult {
  body: ReadableStream<Uint8Array>;
  /** How many bytes `body` holds: the whole file, or the range served. */
  bytes: number;
  /** The whole file's size. */
  size: number;
  /** Set when `body` holds only this range of the file (a range past the file gets it all). */
  range?: ByteRange;
}

export interface ResultStore {
  /** "local disk" or "S3", for logs and health. */
  readonly description: string;
  /**
   * Takes a finished file from the job's working folder (moved or uploaded; the source is
   * gone afterwards either way). Writing the same name again replaces it: a retried job that
   * is saved twice still has one result.
   */
  put(key: ResultKey, name: string, source: { path: string; mime: string }): Promise<void>;
  /** The file's bytes (or one range of them) as a stream, or undefined when it is not there. */
  get(key: ResultKey, name: string, range?: ByteRange): Promise<StoredResult | undefined>;
  /** Names of one job's stored files, sorted. */
  list(key: ResultKey): Promise<string[]>;
  /** Every stored file of a person, as `<jobId>/<name>`, sorted (for deletes and tests). */
  listUser(userId: string): Promise<string[]>;
  /** Removes one job's files; nothing there is fine. */
  removeJob(key: ResultKey): Promise<void>;
  /** Removes everything a person has stored. */
  removeUser(userId: string): Promise<void>;
  close(): Promise<void>;
}

// Ids are UUIDs and names are simple file names, so a key can never leave its prefix.
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FILE_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function checkedId(id: string): string {
  if (!ID.test(id)) throw new Error("invalid id in a result key");
  return id;
}

export function checkedName(name: string): string {
  if (!FILE_NAME.test(name)) throw new Error("invalid result file name");
  return name;
}
