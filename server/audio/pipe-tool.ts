/**
 * Runs a tool that reads its input from stdin and writes its result to stdout (ffmpeg encoding
 * PCM, espeak-ng reading text): an argv array, never a shell; a hard time limit; a cap on
 * stdout; SIGKILL when any limit is hit. (run-tool.ts is the same for tools that need no stdin.)
 * Failures are typed; stderr is kept for the operator's log, never shown to people.
 */
import { spawn } from "node:child_process";

export type PipeToolFailureReason = "not_found" | "timeout" | "output_limit" | "aborted" | "exit";

export class PipeToolError extends Error {
  constructor(
    readonly tool: string,
    readonly reason: PipeToolFailureReason,
    message: string,
    /** The tail of the tool's stderr (may name paths: log it, do not send it). */
    readonly stderrTail = "",
  ) {
    super(message);
    this.name = "PipeToolError";
  }
}

export interface PipeToolOptions {
  input: Uint8Array | string;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
}

const STDERR_KEEP_CHARS = 4 * 1024;

export function pipeTool(
  command: string,
  args: readonly string[],
  options: PipeToolOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new PipeToolError(command, "aborted", `${command} was cancelled`));
      return;
    }
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], shell: false });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let stderr = "";
    let stopped: PipeToolFailureReason | undefined;
    let settled = false;

    const finish = (error: PipeToolError | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks));
    };
    const stop = (why: PipeToolFailureReason) => {
      if (stopped) return;
      stopped = why;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => stop("timeout"), options.timeoutMs);
    const onAbort = () => stop("aborted");
    options.signal?.addEventListener("abort", onAbort, { once: true });

    child.stdout.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > options.maxOutputBytes) stop("output_limit");
      else if (!stopped) chunks.push(chunk);
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => {
      stderr = (stderr + text).slice(-STDERR_KEEP_CHARS);
    });
    // A tool that exits early closes stdin under us; the exit code tells what happened.
    child.stdin.on("error", () => {});
    child.on("error", (error: NodeJS.ErrnoException) => {
      const reason = error.code === "ENOENT" ? "not_found" : "exit";
      finish(
        new PipeToolError(command, reason, `${command} could not be started (${error.code ?? "error"})`),
      );
    });
    child.on("close", (code, signal) => {
      if (stopped) {
        const what = {
          timeout: "ran past its time limit",
          output_limit: "wrote too much output",
          aborted: "was cancelled",
        };
        finish(
          new PipeToolError(
            command,
            stopped,
            `${command} ${what[stopped as keyof typeof what] ?? "stopped"}`,
            stderr,
          ),
        );
      } else if (code !== 0) {
        finish(new PipeToolError(command, "exit", `${command} failed (exit ${code ?? signal})`, stderr));
      } else finish(undefined);
    });
    child.stdin.end(options.input);
  });
}
