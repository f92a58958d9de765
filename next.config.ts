import type { NextConfig } from "next";

// Security headers live in proxy.ts (they need a per-request CSP nonce); this file only
// keeps native and WASM-heavy packages out of the server bundle.
const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  serverExternalPackages: ["better-sqlite3", "pg", "onnxruntime-node", "pino"],
  typedRoutes: false,
};

export default nextConfig;
