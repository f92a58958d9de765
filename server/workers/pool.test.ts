import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { WorkerPool } from "./pool";
import { WorkerFailure } from "./worker-failure";

const HANDLERS = fileURLToPath(new URL("./test-fixtures/hostile-handlers.ts", import.meta.url));
const pools: WorkerPool[] = [];

function pool(options: Partial<ConstructorParameters<typeof WorkerPool>[0]> = {}) {
  const created = new WorkerPool({ handlerModule: HANDLERS, size: 1, jobTimeoutMs: 10_000, ...options });
  pools.push(created);
  return created;
}

let jobs = 0;
function job(kind: string, payload: unknown = {}) {
  jobs += 1;
  return { id: `job-${jobs}`, kind, attempt: 1, payload };
}

async function failureOf(promise: Promise<unknown>): Promise<WorkerFailure> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WorkerFailure);
  return error as WorkerFailure;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((created) => created.close()));
});

describe("WorkerPool", () => {
  it("runs a job in a separate process and reports its progress", async () => {
    const progress: [number, string][] = [];
    const result = (await pool().run(job("echo", { n: 7 }), {
      onProgress: (fraction, stage) => progress.push([fraction, stage]),
    })) as { payload: unknown; pid: number };
    expect(result.payload).toEqual({ n: 7 });
    expect(result.pid).not.toBe(process.pid);
    expect(progress).toEqual([
      [0.25, "working"],
      [0.5, "working"],
      [0.75, "working"],
    ]);
  });

  it("warm() starts the workers before any job and keeps what their warm-up reported", async () => {
    const workers = pool({ size: 2 });
    expect(workers.engines).toEqual([]);
    await workers.warm();
    expect(workers.busy).toBe(0);
    const [engine] = workers.engines;
    expect(engine).toMatchObject({ kind: "speech", provider: "cpu" });
    // The report came from a worker process of this pool, and that worker takes the next job.
    const pids = new Set<number>();
    const results = (await Promise.all([workers.run(job("echo")), workers.run(job("echo"))])) as {
      pid: number;
    }[];
    for (const { pid } of results) pids.add(pid);
    expect(pids).toContain(Number(engine?.engine.replace("hostile-", "")));
    expect(workers.replaced).toBe(0);
  });

  it("kills a job that outruns its timeout and serves the next job from a fresh worker", async () => {
    const workers = pool({ jobTimeoutMs: 1500 });
    const first = (await workers.run(job("echo"))) as { pid: number };
    const started = Date.now();
    const failure = await failureOf(workers.run(job("hang")));
    expect(failure.reason).toBe("timeout");
    expect(failure.permanent).toBe(false);
    expect(Date.now() - started).toBeLessThan(4000);
    const next = (await workers.run(job("echo"))) as { pid: number };
    expect(next.pid).not.toBe(first.pid);
    expect(workers.replaced).toBe(1);
  });

  it("kills a worker whose native memory passes the limit, and does not retry such input", async () => {
    const failure = await failureOf(pool({ memoryLimitMb: 200 }).run(job("allocate", { megabytes: 400 })));
    expect(failure.reason).toBe("memory");
    expect(failure.permanent).toBe(true);
  });

  it("a crashing job fails alone: the job beside it finishes", async () => {
    const workers = pool({ size: 2 });
    const [crashed, fine] = await Promise.allSettled([
      workers.run(job("crash")),
      workers.run(job("sleep", { ms: 500 })),
    ]);
    expect(crashed.status).toBe("rejected");
    expect((crashed as PromiseRejectedResult).reason.reason).toBe("crashed");
    expect(fine.status).toBe("fulfilled");
    await expect(workers.run(job("echo"))).resolves.toMatchObject({ attempt: 1 });
  });

  it("a canceled job that stops when asked ends within a second and keeps its worker", async () => {
    const controller = new AbortController();
    const workers = pool();
    const { pid } = (await workers.run(job("echo"))) as { pid: number };
    const running = workers.run(job("untilCanceled"), { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const failure = await failureOf(running);
    expect(failure.reason).toBe("canceled");
    const next = (await workers.run(job("echo"))) as { pid: number };
    expect(next.pid).toBe(pid);
    expect(workers.replaced).toBe(0);
  });

  it("a canceled job stuck in a call is killed when the grace is over; the next job gets a fresh worker", async () => {
    const controller = new AbortController();
    const workers = pool({ cancelGraceMs: 500 });
    const { pid } = (await workers.run(job("echo"))) as { pid: number };
    const running = workers.run(job("hang"), { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const aborted = Date.now() + 200;
    const failure = await failureOf(running);
    expect(failure.reason).toBe("canceled");
    expect(Date.now() - aborted).toBeGreaterThanOrEqual(450);
    expect(Date.now() - aborted).toBeLessThan(1500);
    expect(workers.replaced).toBe(1);
    const next = (await workers.run(job("echo"))) as { pid: number };
    expect(next.pid).not.toBe(pid);
  });

  it("a job canceled while it waited for a worker is stopped as soon as it gets one", async () => {
    const controller = new AbortController();
    const workers = pool({ size: 1 });
    const busy = workers.run(job("sleep", { ms: 400 }));
    const waiting = workers.run(job("untilCanceled"), { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await busy;
    const started = Date.now();
    expect((await failureOf(waiting)).reason).toBe("canceled");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(workers.replaced).toBe(0);
  });

  it("passes a handler's input error on, and hides any other error's details", async () => {
    const workers = pool();
    const bad = await failureOf(workers.run(job("badInput")));
    expect(bad).toMatchObject({
      reason: "failed",
      permanent: true,
      message: "The recording has no audio stream",
    });
    const internal = await failureOf(workers.run(job("internalError")));
    expect(internal).toMatchObject({ reason: "failed", permanent: false });
    expect(internal.message).not.toMatch(/secret|ENOENT/);
    const unknown = await failureOf(workers.run(job("noSuchKind")));
    expect(unknown).toMatchObject({ permanent: true });
  });

  it("never runs more jobs at once than it has workers", async () => {
    const workers = pool({ size: 2 });
    const results = (await Promise.all(
      Array.from({ length: 4 }, () => workers.run(job("sleep", { ms: 400 }))),
    )) as { started: number; ended: number }[];
    const events = results.flatMap((r) => [
      { at: r.started, delta: 1 },
      { at: r.ended, delta: -1 },
    ]);
    events.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let running = 0;
    let most = 0;
    for (const event of events) {
      running += event.delta;
      most = Math.max(most, running);
    }
    expect(most).toBe(2);
  });
});
