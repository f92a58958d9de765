/**
 * The web app's server: Next's request handler behind a Node HTTP server that settles the
 * client address from the socket (see lib/http/forwarded-for.ts) before Next, proxy.ts or any
 * route sees the request, and refuses what Next cannot survive or would buffer without a bound
 * (request-guard.ts, body-guard.ts, form-post-guard.ts). `next start` cannot do this: it trusts a client's
 * X-Forwarded-For.
 */
import { createServer } from "node:http";
import path from "node:path";
import next from "next";
import { resolveClientAddress } from "@/lib/http/forwarded-for";
import { getConfigOrExit } from "@/lib/node/config";
import { guardRequestBody } from "./body-guard";
import { guardFormPost } from "./form-post-guard";
import { guardRequestLine } from "./request-guard";
import { routeHandlerPatterns } from "./route-patterns";

const dev = process.argv.includes("--dev");
const config = getConfigOrExit();
const app = next({ dev, hostname: config.hostname, port: config.port });
const handle = app.getRequestHandler();
const routeHandlers = routeHandlerPatterns(path.resolve("app"));
await app.prepare();

const server = createServer((request, response) => {
  request.headers["x-forwarded-for"] = resolveClientAddress(
    request.headers["x-forwarded-for"],
    request.socket.remoteAddress,
    config.trustProxyHops,
  );
  if (!guardRequestLine(request, response, config.trustProxyHops)) return;
  if (!guardRequestBody(request, response)) return;
  void guardFormPost(request, response, routeHandlers).then((accepted) => {
    if (accepted) void handle(request, response);
  });
});
server.listen(config.port, config.hostname, () => {
  console.error(`[web] listening on ${config.hostname}:${config.port}${dev ? " (development)" : ""}`);
});

function stop() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
