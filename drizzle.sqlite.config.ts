import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: ["./app/_server/db/schema/sqlite.ts"],
  out: "./drizzle/sqlite",
});
