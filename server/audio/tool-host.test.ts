import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnTool } from "./run-tool";
import { startToolHost, type ToolHost } from "./tool-host";

const limits = { timeoutMs: 10_000, maxStdoutBytes: 1024 * 1024 };

describe("tool host", () => {
  let host: ToolHost;
  beforeAll(async () => {
    host = await startToolHost();
  });
  afterAll(() => host.close());

  it("starts the tools itself, not the process that asks", async () => {
    const result = await host.run("sh", ["-c", "echo $PPID"], limits);
    expect(Number(result.stdout.toString().trim())).toBe(host.pid);
    expect(host.pid).not.toBe(process.pid);
  });

  it("gives what spawning here gives, input and output bytes included", async () => {
    const text = "Hello there.\nA second line, with a clause.";
    const args = ["-q", "--ipa", "-v", "en-us"];
    const here = await spawnTool("espeak-ng", args, { ...limits, input: text });
    const there = await host.run("espeak-ng", args, { ...limits, input: text });
    expect(there.code).toBe(0);
    expect(there.stdout.toString("utf8")).toBe(here.stdout.toString("utf8"));
    expect(Buffer.isBuffer(there.stdout)).toBe(true);
    const binary = Uint8Array.from({ length: 70_000 }, (_, i) => i % 251);
    const echoed = await host.run("cat", [], { ...limits, input: binary });
    expect(Buffer.compare(echoed.stdout, Buffer.from(binary))).toBe(0);
  });

  it("keeps every limit: time, output size and cancelling", async () => {
    const slow = await host.run("sleep", ["5"], { ...limits, timeoutMs: 200 });
    expect(slow).toMatchObject({ code: null, stopped: "timeout" });
    const loud = await host.run("cat", [], { ...limits, maxStdoutBytes: 100, input: "x".repeat(10_000) });
    expect(loud.stopped).toBe("output_limit");
    const controller = new AbortController();
    const started = performance.now();
    const cancelled = host.run("sleep", ["5"], { ...limits, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect(await cancelled).toMatchObject({ code: null, stopped: "abort" });
    expect(performance.now() - started).toBeLessThan(4_000);
  });

  it("says a tool is missing the way spawning here does (callers fall back on ENOENT)", async () => {
    await expect(host.run("parla-no-such-tool", [], limits)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("falls back to spawning here once the host is gone", async () => {
    const own = await startToolHost();
    own.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const result = await own.run("sh", ["-c", "echo $PPID"], limits);
    expect(Number(result.stdout.toString().trim())).toBe(process.pid);
  });
});
