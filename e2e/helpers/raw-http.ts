/**
 * Requests written byte by byte on a socket, for what an HTTP client library will not send:
 * a lying Content-Length, a chunked body of any size, a body that trickles in.
 */
import { connect } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from connecting to the end of the response. */
  elapsedMs: number;
}

export interface RawRequestOptions {
  port: number;
  /** The request line and headers, without the blank line that ends them. */
  head: string[];
  /** Writes the body; `write` resolves false once the server has answered or closed. */
  body?: (write: (chunk: string | Buffer) => Promise<boolean>) => Promise<void>;
  timeoutMs?: number;
}

function parse(raw: string, elapsedMs: number): RawResponse {
  const [head = "", ...rest] = raw.split("\r\n\r\n");
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(":");
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1] ?? 0), headers, body: rest.join("\r\n\r\n"), elapsedMs };
}

export function rawRequest({
  port,
  head,
  body,
  timeoutMs = 30_000,
}: RawRequestOptions): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, "127.0.0.1");
    let received = "";
    let answered = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(received, performance.now() - started));
    };
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms (a hang): ${received.slice(0, 200)}`));
    }, timeoutMs);
    socket.on("data", (data) => {
      answered = true;
      received += data.toString("latin1");
      // A complete non-chunked answer: headers plus Content-Length bytes.
      const response = parse(received, 0);
      const length = Number(response.headers["content-length"] ?? Number.NaN);
      if (Number.isFinite(length) && Buffer.byteLength(response.body, "latin1") >= length) finish();
    });
    socket.on("end", finish);
    socket.on("close", () => {
      if (answered) finish();
    });
    socket.on("error", (error) => {
      if (answered) finish();
      else {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.once("connect", async () => {
      socket.write(`${head.join("\r\n")}\r\n\r\n`);
      const write = (chunk: string | Buffer) =>
        new Promise<boolean>((done) => {
          if (answered || socket.destroyed) return done(false);
          socket.write(chunk, () => done(!answered));
        });
      await body?.(write);
    });
  });
}

/** One chunk of a chunked body (RFC 9112 §7.1). */
export const chunk = (data: string | Buffer) =>
  Buffer.concat([
    Buffer.from(`${Buffer.byteLength(data).toString(16)}\r\n`),
    Buffer.from(data),
    Buffer.from("\r\n"),
  ]);
