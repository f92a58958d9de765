/** Keeps one child process running: restarts it with backoff when it dies, stops it on request. */
import { type ChildProcess, spawn } from "node:child_process";
import { LIMITS } from "@/lib/limits";

export interface SupervisedOptions {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  log: (message: string) => void;
}

export class Supervised {
  private child: ChildProcess | undefined;
  private stopping = false;
  private crashesInARow = 0;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SupervisedOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const { name, command, args, env, log } = this.options;
    const startedAt = Date.now();
    const child = spawn(command, args, { env, stdio: "inherit" });
    this.child = child;
    child.on("exit", (code, signal) => {
      if (this.stopping) return;
      if (Date.now() - startedAt > LIMITS.supervisor.HEALTHY_AFTER_MS) this.crashesInARow = 0;
      this.crashesInARow += 1;
      const delay = Math.min(
        LIMITS.supervisor.RESTART_MAX_DELAY_MS,
        LIMITS.supervisor.RESTART_BASE_DELAY_MS * 2 ** (this.crashesInARow - 1),
      );
      log(`${name} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
      this.restartTimer = setTimeout(() => this.start(), delay);
    });
  }

  stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      child.kill("SIGTERM");
    });
  }
}
