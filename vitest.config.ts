import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Next resolves "server-only" to its own empty module on the server; tests run server code.
      "server-only": path.resolve(
        import.meta.dirname,
        "node_modules/next/dist/compiled/server-only/empty.js",
      ),
    },
  },
  test: {
    include: ["{app,components,lib,models,server,scripts}/**/*.test.ts"],
    // Native modules (better-sqlite3, onnxruntime-node) behave best in child processes.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: "test", LOG_LEVEL: "silent" },
    // next-auth imports "next/server" without an extension, which Node's ESM loader refuses;
    // letting Vite resolve it lets route handlers be tested by calling their exports.
    server: { deps: { inline: ["next-auth", "@auth/core"] } },
  },
});
