/** Errors of the model store. Messages always name the model file (`<id>/<path>`), never a secret. */

/** A file is unknown, unpinned, missing or does not match its pin: it must not be used. */
export class ModelIntegrityError extends Error {
  constructor(
    readonly modelId: string,
    readonly filePath: string,
    message: string,
  ) {
    super(message);
    this.name = "ModelIntegrityError";
  }
}

/** A download or mirror copy failed; `retryable` says whether another attempt may succeed. */
export class ModelFetchError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "ModelFetchError";
  }
}
