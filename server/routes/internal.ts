/** Signed diagnostics: prove the signed path end to end and exercise body hashing and limits. */
import { Hono } from "hono";
import { type BackendPing, type EchoSizeReply, echoSizeInputSchema } from "@/lib/schemas/backend";
import { validateJson } from "@/server/middleware/validate-json";

export function internalRoutes() {
  return new Hono()
    .get("/ping", (c) => c.json({ ok: true, time: new Date().toISOString() } satisfies BackendPing))
    .post("/echo-size", validateJson(echoSizeInputSchema), async (c) => {
      const { n } = c.req.valid("json");
      // Served from the body cache filled by service-auth: the same bytes that were hashed.
      const bytes = (await c.req.arrayBuffer()).byteLength;
      return c.json({ n, bytes } satisfies EchoSizeReply);
    });
}
