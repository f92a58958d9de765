/**
 * Asks a generator for its next value as soon as the current one is handed out, so the next
 * chunk's model run (asynchronous: onnxruntime computes on its own threads, or on the GPU) goes
 * on while the caller writes and encodes the current chunk on the JavaScript thread. At most one
 * value is made ahead. When the caller stops early, the value made ahead is waited for and the
 * generator is closed, so nothing runs on unobserved.
 */
export async function* readAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let pending = source.next();
  let finished = false;
  try {
    while (true) {
      const result = await pending;
      if (result.done) {
        finished = true;
        return;
      }
      pending = source.next();
      // If the caller stops before awaiting it, its failure is the generator's to report, not
      // an unhandled rejection.
      pending.catch(() => undefined);
      yield result.value;
    }
  } finally {
    if (!finished) {
      await pending.catch(() => undefined);
      await source.return(undefined);
    }
  }
}
