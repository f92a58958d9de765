import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: ["./app/_server/db/schema/pg.ts"],
  out: "./drizzle/pg",
});
