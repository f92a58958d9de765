import type { NextConfig } from "next";
import { LIMITS } from "./lib/limits";

// Security headers live in proxy.ts (they need a per-request CSP nonce); this file only
// keeps native and WASM-heavy packages out of the server bundle.
const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  serverExternalPackages: ["better-sqlite3", "pg", "onnxruntime-node", "pino"],
  typedRoutes: false,
  experimental: {
    // proxy.ts runs on every route, and Next buffers a body for it only up to this size (10 MB
    // by default), silently handing the route a truncated body beyond it. The largest upload
    // any tier may send must arrive whole, so the handler's own limit decides (413 past it).
    proxyClientMaxBodySize: LIMITS.stt.PRO_MAX_BYTES + LIMITS.http.MULTIPART_OVERHEAD_BYTES,
  },
  // proxy.ts skips static chunks, but a cross-origin isolated page (COEP require-corp) may only
  // start a worker whose script carries COEP itself: the speech preview's worker chunk.
  async headers() {
    return [
      {
        source: "/_next/static/:path*",
        headers: [
          { key: "Cross-Origin-Embedder-Policy", value: "require-corp" },
          { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
