/** An ApiError as the HTTP response every route sends: its JSON body, status and headers, never cached. */
import type { ApiError } from "@/lib/errors";

export function errorResponse(error: ApiError): Response {
  return Response.json(error.toBody(), {
    status: error.status,
    headers: { "Cache-Control": "no-store", ...error.headers },
  });
}
