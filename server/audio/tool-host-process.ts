/**
 * The tool host: a small process a worker forks before it loads any model, which starts the
 * worker's tools (espeak-ng, ffmpeg, ffprobe) for it. See tool-host.ts for why.
 */
import { spawnTool } from "./run-tool";
import { type ToolReply, toolRequestSchema } from "./tool-host-protocol";

const running = new Map<number, AbortController>();

function reply(message: ToolReply) {
  process.send?.(message);
}

process.on("message", async (raw) => {
  const parsed = toolRequestSchema.safeParse(raw);
  if (!parsed.success) return;
  const request = parsed.data;
  if (request.type === "abort") {
    running.get(request.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(request.id, controller);
  try {
    const result = await spawnTool(request.command, request.args, {
      timeoutMs: request.timeoutMs,
      maxStdoutBytes: request.maxStdoutBytes,
      signal: controller.signal,
      ...(request.cwd ? { cwd: request.cwd } : {}),
      ...(request.input !== undefined ? { input: request.input } : {}),
    });
    reply({ type: "result", id: request.id, ...result });
  } catch (error) {
    const { message, code } = error as NodeJS.ErrnoException;
    reply({ type: "error", id: request.id, message, ...(code ? { code } : {}) });
  } finally {
    running.delete(request.id);
  }
});

// The worker going away ends the host too, and the tools it was running: no orphans.
process.on("disconnect", () => {
  for (const controller of running.values()) controller.abort();
  setImmediate(() => process.exit(0));
});
reply({ type: "ready" });
