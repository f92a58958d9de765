/**
 * The app's route handlers (app/**\/route.ts) as path patterns, read from disk at start so new
 * routes are known without a list to keep: "app/api/jobs/[id]/share/route.ts" matches
 * "/api/jobs/<anything>/share". Route groups "(name)" and private folders "_name" are skipped
 * as Next skips them.
 */
import { readdirSync } from "node:fs";
import path from "node:path";

function segmentPattern(segment: string): string | null {
  if (/^\(.*\)$/.test(segment)) return null;
  if (/^\[\[\.\.\..+\]\]$/.test(segment)) return "(?:/.*)?";
  if (/^\[\.\.\..+\]$/.test(segment)) return "/.+";
  if (/^\[.+\]$/.test(segment)) return "/[^/]+";
  return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
}

export function routeHandlerPatterns(appDir: string): RegExp[] {
  const patterns: RegExp[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !entry.name.startsWith("_"))
        walk(path.join(dir, entry.name), [...segments, entry.name]);
      else if (/^route\.(ts|js)$/.test(entry.name)) {
        const parts = segments.map(segmentPattern).filter((part): part is string => part !== null);
        patterns.push(new RegExp(`^${parts.join("") || "/"}$`));
      }
    }
  };
  walk(appDir, []);
  return patterns;
}
