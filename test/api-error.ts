/** The ApiError a call fails with, so a test can check its code and status; anything else fails the test. */
import { ApiError } from "@/lib/errors";

export async function failureOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}
