/** Streams a backend result file to the client with safe download headers. */

export function passFile(upstream: Response, name: string, cacheControl: string): Response {
  const headers = new Headers({
    "Content-Type": upstream.headers.get("content-type") ?? "application/octet-stream",
    "Cache-Control": cacheControl,
    // The name is a validated result file name ([a-z0-9._-]), so it needs no escaping.
    "Content-Disposition": `inline; filename="${name}"`,
    "X-Content-Type-Options": "nosniff",
  });
  const length = upstream.headers.get("content-length");
  if (length) headers.set("Content-Length", length);
  return new Response(upstream.body, { headers });
}
