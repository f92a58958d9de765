/**
 * Runs a media tool (ffmpeg, ffprobe, espeak-ng) as a child process: an argv array (never a
 * shell), stdin closed or fed the given input, a hard wall-clock limit, a cap on how much stdout is kept, and an AbortSignal. The
 * child is SIGKILLed the moment any limit is hit, so a hostile file can neither hang a job nor
 * fill memory.
 */
import { spawn } from "node:child_process";

export interface ToolLimits {
  timeoutMs: number;
  /** Stdout beyond this many bytes kills the tool (`stopped: "output_limit"`). */
  maxStdoutBytes: number;
  signal?: AbortSignal;
  cwd?: string;
  /** Written to the tool's stdin, which is then closed; without it stdin is closed at once. */
  input?: Uint8Array | string;
}

export interface ToolResult {
  /** Exit code, or null when the process was killed. */
  code: number | null;
  stdout: Buffer;
  /** The tail of stderr, for classifying failures (never shown to people: it names paths). */
  stderr: string;
  /** Why Parla stopped the tool, if it did. */
  stopped?: "timeout" | "output_limit" | "abort";
}

const STDERR_KEEP_CHARS = 16 * 1024;

export type ToolRunner = (
  command: string,
  args: readonly string[],
  limits: ToolLimits,
) => Promise<ToolResult>;

let runner: ToolRunner | undefined;

/**
 * Sends every later runTool call in this process through `through` (a worker process's tool
 * host: tool-host.ts), or back to spawning here when undefined.
 */
export function routeToolsThrough(through: ToolRunner | undefined): void {
  runner = through;
}

export function runTool(command: string, args: readonly string[], limits: ToolLimits): Promise<ToolResult> {
  return runner ? runner(command, args, limits) : spawnTool(command, args, limits);
}

/** runTool's work, always in this process. */
export function spawnTool(command: string, args: readonly string[], limits: ToolLimits): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    if (limits.signal?.aborted) {
      resolve({ code: null, stdout: Buffer.alloc(0), stderr: "", stopped: "abort" });
      return;
    }
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], cwd: limits.cwd, shell: false });
    const chunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = "";
    let stopped: ToolResult["stopped"];

    const stop = (why: NonNullable<ToolResult["stopped"]>) => {
      if (stopped) return;
      stopped = why;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => stop("timeout"), limits.timeoutMs);
    const onAbort = () => stop("abort");
    limits.signal?.addEventListener("abort", onAbort, { once: true });

    child.stdout.on("data", (chunk: Buffer) => {
      if (stopped) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > limits.maxStdoutBytes) {
        stop("output_limit");
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => {
      stderr = (stderr + text).slice(-STDERR_KEEP_CHARS);
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      limits.signal?.removeEventListener("abort", onAbort);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      limits.signal?.removeEventListener("abort", onAbort);
      resolve({ code, stdout: Buffer.concat(chunks), stderr, ...(stopped ? { stopped } : {}) });
    });
    // A tool that exits early closes stdin under us; the exit code tells what happened.
    child.stdin.on("error", () => {});
    child.stdin.end(limits.input);
  });
}
