import { describe, expect, it } from "vitest";
import { decodeJobError, encodeJobError } from "@/server/jobs/job-error";

describe("a failed job's stored reason", () => {
  it("keeps an input refusal's code beside its message, and reads old rows unchanged", () => {
    const stored = encodeJobError(
      "The file is cut short: its WAV header says more",
      "unprocessable:audio.truncated",
    );
    expect(decodeJobError(stored)).toEqual({
      error: "The file is cut short: its WAV header says more",
      errorCode: "unprocessable:audio.truncated",
    });
    expect(decodeJobError("The job failed while processing")).toEqual({
      error: "The job failed while processing",
      errorCode: null,
    });
    expect(decodeJobError(encodeJobError("[not a code] text"))).toEqual({
      error: "[not a code] text",
      errorCode: null,
    });
    expect(decodeJobError(null)).toEqual({ error: null, errorCode: null });
  });
});
