/**
 * Creates an onnxruntime-node session on the best execution provider that works here, in the
 * order cuda → webgpu → cpu. Each provider is tried alone (no silent CPU fallback inside one
 * session), so the provider reported is the one really running the model.
 */
import { InferenceSession } from "onnxruntime-node";

export const EXECUTION_PROVIDERS = ["cuda", "webgpu", "cpu"] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

export interface ProviderAttempt {
  provider: ExecutionProvider;
  ok: boolean;
  ms: number;
  /** First line of the error, when the provider could not be used. */
  error?: string;
}

export interface ProviderLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface SessionWithProvider {
  session: InferenceSession;
  provider: ExecutionProvider;
  attempts: ProviderAttempt[];
}

export class NoExecutionProviderError extends Error {
  constructor(readonly attempts: ProviderAttempt[]) {
    super(
      `No execution provider could load the model (${attempts.map((a) => `${a.provider}: ${a.error}`).join("; ")})`,
    );
    this.name = "NoExecutionProviderError";
  }
}

export async function createSessionWithFallback(
  model: Uint8Array | string,
  options: { providers?: readonly ExecutionProvider[]; logger?: ProviderLogger; label?: string } = {},
): Promise<SessionWithProvider> {
  const attempts: ProviderAttempt[] = [];
  for (const provider of options.providers ?? EXECUTION_PROVIDERS) {
    const started = performance.now();
    try {
      const sessionOptions: InferenceSession.SessionOptions = {
        executionProviders: [provider],
        // onnxruntime prints each failed provider at error level; the attempt list reports it instead.
        logSeverityLevel: provider === "cpu" ? 2 : 4,
      };
      const session =
        typeof model === "string"
          ? await InferenceSession.create(model, sessionOptions)
          : await InferenceSession.create(model, sessionOptions);
      attempts.push({ provider, ok: true, ms: performance.now() - started });
      options.logger?.info({ model: options.label, provider, attempts }, "onnx session created");
      return { session, provider, attempts };
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
      attempts.push({ provider, ok: false, ms: performance.now() - started, error: message.slice(0, 300) });
    }
  }
  options.logger?.warn({ model: options.label, attempts }, "no execution provider could load the model");
  throw new NoExecutionProviderError(attempts);
}
