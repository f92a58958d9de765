/**
 * One byte range of a file (RFC 9110 §14.1.2), so result files can be sought in: a browser's
 * `<audio>` treats a file it cannot ask ranges of as a stream, and will not seek in it.
 * Only a single range is served; anything else is answered with the whole file, which RFC 9110
 * §14.2 allows ("a server MAY ignore the Range header field").
 */

/** Inclusive at both ends, as Content-Range writes it. */
export interface ByteRange {
  start: number;
  end: number;
}

// At most 15 digits: past any file size, and still an exact JavaScript number.
const SINGLE_RANGE = /^bytes=(\d{0,15})-(\d{0,15})$/;

/** The range a `Range` header asks of a file `size` bytes long, or undefined for the whole file. */
export function parseByteRange(header: string | null | undefined, size: number): ByteRange | undefined {
  const match = SINGLE_RANGE.exec(header?.trim() ?? "");
  if (!match || size <= 0) return undefined;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return undefined;
  if (first === "") {
    // "bytes=-500": the last 500 bytes.
    const suffix = Number(last);
    return suffix > 0 ? { start: Math.max(0, size - suffix), end: size - 1 } : undefined;
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  return start < size && start <= end ? { start, end } : undefined;
}

export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}
