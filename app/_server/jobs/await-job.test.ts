import { describe, expect, it } from "vitest";
import { jobFailure } from "@/app/_server/jobs/await-job";
import type { JobView } from "@/lib/schemas/jobs";

const job = (patch: Partial<JobView>) =>
  ({ status: "failed", error: null, errorCode: null, ...patch }) as JobView;

describe("a failed job as the answer of a route that waited for it", () => {
  it("is the input refusal it was, with that refusal's own 4xx", () => {
    const error = jobFailure(job({ error: "The file is damaged", errorCode: "unprocessable:audio.corrupt" }));
    expect(error).toMatchObject({
      status: 422,
      code: "unprocessable:audio.corrupt",
      message: "The file is damaged",
    });
    expect(jobFailure(job({ error: "Too long", errorCode: "payload_too_large:audio.too_long" })).status).toBe(
      413,
    );
  });

  it("is a generic 500 for anything else, and never trusts a 5xx code from the row", () => {
    expect(jobFailure(job({ error: "The job failed while processing" })).status).toBe(500);
    expect(jobFailure(job({ error: "x", errorCode: "internal:audio.corrupt" })).status).toBe(500);
    expect(jobFailure(job({ error: "x", errorCode: "made_up:thing" })).status).toBe(500);
    expect(jobFailure(job({ status: "canceled" })).status).toBe(409);
  });
});
