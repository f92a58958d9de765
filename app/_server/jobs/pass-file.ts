/**
 * Streams a backend result file to the client with safe download headers. A ranged reply (206,
 * for a player seeking) keeps its status and Content-Range.
 */

/** The browser's Range header, passed on when it could be one (the backend parses it). */
export function rangeHeader(request: Request): string | undefined {
  const range = request.headers.get("range");
  return range && range.length <= 100 ? range : undefined;
}

export function passFile(upstream: Response, name: string, cacheControl: string): Response {
  const headers = new Headers({
    "Content-Type": upstream.headers.get("content-type") ?? "application/octet-stream",
    "Cache-Control": cacheControl,
    // The name is a validated result file name ([a-z0-9._-]), so it needs no escaping.
    "Content-Disposition": `inline; filename="${name}"`,
    "X-Content-Type-Options": "nosniff",
  });
  for (const header of ["content-length", "accept-ranges", "content-range"]) {
    const value = upstream.headers.get(header);
    if (value) headers.set(header, value);
  }
  return new Response(upstream.body, { status: upstream.status === 206 ? 206 : 200, headers });
}
