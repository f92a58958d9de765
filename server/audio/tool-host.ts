/**
 * A worker's tools (espeak-ng, ffmpeg, ffprobe) started by a small helper process instead of by
 * the worker itself. Starting a child from a process that holds a model is dear in a way no
 * profile of the tool shows: Node forks the whole process, and afterwards the model's next run
 * takes a copy-on-write fault on every page of its buffers it writes. Measured on this machine:
 * a Piper medium run of 0.37 s took 1.1 s after any spawn, even of /bin/true, and a long speech
 * job spawns espeak-ng several times. The worker forks this host once, before it loads a model
 * (while it is small), and the host does the spawning; runTool's limits and results are the same.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { spawnTool, type ToolResult, type ToolRunner } from "./run-tool";
import { type ToolRequest, toolReplySchema } from "./tool-host-protocol";

const HOST_ENTRY = fileURLToPath(new URL("./tool-host-process.ts", import.meta.url));

export interface ToolHost {
  /** runTool through the host; once the host is gone, tools start in this process again. */
  run: ToolRunner;
  /** The host's process id: the parent of every tool it starts. */
  pid: number | undefined;
  close(): void;
}

interface Pending {
  resolve: (result: ToolResult) => void;
  reject: (error: Error) => void;
}

export async function startToolHost(): Promise<ToolHost> {
  const child = fork(HOST_ENTRY, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    serialization: "advanced",
  });
  await new Promise<void>((resolve, reject) => {
    const onExit = () => reject(new Error("the tool host exited before it was ready"));
    child.once("exit", onExit);
    child.once("message", () => {
      child.off("exit", onExit);
      resolve();
    });
  });

  const pending = new Map<number, Pending>();
  let nextId = 0;
  let alive = true;
  child.on("message", (raw) => {
    const reply = toolReplySchema.safeParse(raw).data;
    if (!reply || reply.type === "ready") return;
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (reply.type === "error") {
      waiting.reject(Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {}));
      return;
    }
    const stdout = Buffer.from(reply.stdout.buffer, reply.stdout.byteOffset, reply.stdout.byteLength);
    waiting.resolve({
      code: reply.code,
      stdout,
      stderr: reply.stderr,
      ...(reply.stopped ? { stopped: reply.stopped } : {}),
    });
  });
  // A failed send (the channel closing under it) must not become an uncaught 'error' that ends
  // the worker: the exit below rejects what was waiting, and later tools start here.
  child.on("error", () => {
    alive = false;
  });
  child.on("exit", () => {
    alive = false;
    for (const waiting of pending.values()) waiting.reject(new Error("the tool host exited"));
    pending.clear();
  });

  const run: ToolRunner = (command, args, limits) => {
    if (!alive || !child.connected) return spawnTool(command, args, limits);
    if (limits.signal?.aborted) {
      return Promise.resolve({ code: null, stdout: Buffer.alloc(0), stderr: "", stopped: "abort" });
    }
    const id = nextId++;
    const onAbort = () => {
      if (child.connected) child.send({ type: "abort", id } satisfies ToolRequest);
    };
    limits.signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => limits.signal?.removeEventListener("abort", onAbort);
    return new Promise<ToolResult>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      const request: ToolRequest = {
        type: "run",
        id,
        command,
        args: [...args],
        timeoutMs: limits.timeoutMs,
        maxStdoutBytes: limits.maxStdoutBytes,
        ...(limits.cwd ? { cwd: limits.cwd } : {}),
        ...(limits.input !== undefined ? { input: limits.input } : {}),
      };
      child.send(request);
    }).finally(done);
  };

  return {
    run,
    pid: child.pid,
    close: () => {
      if (child.connected) child.disconnect();
    },
  };
}
