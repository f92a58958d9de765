/** A shared result's file, for anyone with the link; 404 for any token that does not open. */
import { apiRoute } from "@/app/_server/http/api-route";
import { backendJobs } from "@/app/_server/jobs/backend-jobs";
import { passFile, rangeHeader } from "@/app/_server/jobs/pass-file";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute(
  async (request, context: { params: Promise<{ token: string; name: string }> }) => {
    const { token, name } = await context.params;
    return passFile(await backendJobs.sharedFile(token, name, rangeHeader(request)), name, "no-store");
  },
);
