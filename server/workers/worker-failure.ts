/** Why a job left its worker without a result; the queue decides from `permanent` whether to retry. */

export type WorkerFailureReason = "timeout" | "memory" | "crashed" | "canceled" | "failed";

const PERMANENT: Record<WorkerFailureReason, boolean> = {
  // A slow run may be the machine's fault (load, a cold model): worth another attempt.
  timeout: false,
  // An input that blew the memory limit will do so again: retrying only repeats the damage.
  memory: true,
  crashed: false,
  canceled: true,
  failed: false,
};

export class WorkerFailure extends Error {
  readonly permanent: boolean;
  constructor(
    readonly reason: WorkerFailureReason,
    message: string,
    permanent?: boolean,
    /** An input refusal's ApiError code, when the worker sent one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = "WorkerFailure";
    this.permanent = permanent ?? PERMANENT[reason];
  }
}
