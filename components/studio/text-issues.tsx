"use client";
/** Inline text checks: the same lib/text/validate-text the server runs, each issue with its position and character. */
import type { TextIssue } from "@/lib/text/validate-text";

export function TextIssues({ id, issues }: { id: string; issues: readonly TextIssue[] }) {
  if (issues.length === 0) return <div id={id} aria-live="polite" />;
  return (
    <div id={id} aria-live="polite">
      <ul className="flex flex-col gap-0.5 text-xs text-red-700 dark:text-red-400" data-testid="text-issues">
        {issues.map((issue) => (
          <li key={`${issue.code}-${issue.position}`} data-code={issue.code} data-position={issue.position}>
            {issue.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
