/**
 * Runs a tool that reads its input from stdin and writes its result to stdout (ffmpeg encoding
 * PCM, espeak-ng reading text): an argv array, never a shell; a hard time limit; a cap on
 * stdout; SIGKILL when any limit is hit (all of it in run-tool.ts).
 * Failures are typed; stderr is kept for the operator's log, never shown to people.
 */
import { runTool, type ToolResult } from "@/server/audio/run-tool";

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

const STOPPED: Record<NonNullable<ToolResult["stopped"]>, [PipeToolFailureReason, string]> = {
  timeout: ["timeout", "ran past its time limit"],
  output_limit: ["output_limit", "wrote too much output"],
  abort: ["aborted", "was cancelled"],
};

/** stdin → stdout through runTool, with every way it can go wrong as a typed PipeToolError. */
export async function pipeTool(
  command: string,
  args: readonly string[],
  options: PipeToolOptions,
): Promise<Buffer> {
  let result: ToolResult;
  try {
    result = await runTool(command, args, {
      input: options.input,
      timeoutMs: options.timeoutMs,
      maxStdoutBytes: options.maxOutputBytes,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "not_found" : "exit";
    throw new PipeToolError(command, reason, `${command} could not be started (${code ?? "error"})`);
  }
  if (result.stopped) {
    const [reason, what] = STOPPED[result.stopped];
    throw new PipeToolError(command, reason, `${command} ${what}`, result.stderr);
  }
  if (result.code !== 0) {
    throw new PipeToolError(
      command,
      "exit",
      `${command} failed (exit ${result.code ?? "killed"})`,
      result.stderr,
    );
  }
  return result.stdout;
}
