import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  createSessionWithFallback,
  EXECUTION_PROVIDERS,
  NoExecutionProviderError,
} from "@/server/engines/tts/execution-providers";
import { hasModelMirror, MODEL_MIRROR_DIR } from "@/test/mirror";

describe.skipIf(!hasModelMirror)("createSessionWithFallback", () => {
  const model = hasModelMirror
    ? readFileSync(path.join(MODEL_MIRROR_DIR, "test", "kokoro-signature-random", "onnx", "model.onnx"))
    : Buffer.alloc(0);

  it("tries cuda, then webgpu, then cpu, and logs the one that worked", async () => {
    const logs: { message: string; details: object }[] = [];
    const logger = {
      info: (details: object, message: string) => logs.push({ details, message }),
      warn: (details: object, message: string) => logs.push({ details, message }),
    };
    const { session, provider, attempts } = await createSessionWithFallback(model, {
      logger,
      label: "fixture",
    });
    expect(attempts.map((a) => a.provider)).toEqual(EXECUTION_PROVIDERS.slice(0, attempts.length));
    expect(attempts.at(-1)).toMatchObject({ provider, ok: true });
    for (const failed of attempts.slice(0, -1)) expect(failed.error).toBeTruthy();
    expect(logs).toEqual([
      { message: "onnx session created", details: expect.objectContaining({ provider }) },
    ]);
    await session.release();
  });

  it("reports every provider's failure when none can load the model", async () => {
    const broken = createSessionWithFallback(Buffer.from("not an onnx model"), { providers: ["cpu"] });
    await expect(broken).rejects.toBeInstanceOf(NoExecutionProviderError);
    await expect(broken).rejects.toThrow(/cpu:/);
  });
});
