/** The policy table in force: rate limits per endpoint, and caps and daily quotas per tier. */
import type { LimitsView } from "@/app/_server/admin/admin-views";
import { AdminTable, Cell } from "./table";

const WINDOW_WORDS: Record<number, string> = { 60: "minute", 3600: "hour", 86400: "day" };
const per = (seconds: number) => WINDOW_WORDS[seconds] ?? `${seconds} s`;
const number = (value: number) => value.toLocaleString("en");

export function LimitsTable({ limits }: { limits: LimitsView }) {
  const { free, pro } = limits.tiers;
  const rows: [string, string, string][] = [
    ["Speech characters per job", number(free.speechMaxChars), number(pro.speechMaxChars)],
    [
      "Upload size",
      `${number(free.uploadMaxBytes / 1024 / 1024)} MB`,
      `${number(pro.uploadMaxBytes / 1024 / 1024)} MB`,
    ],
    ["Recording length", `${number(free.recordingMaxSeconds)} s`, `${number(pro.recordingMaxSeconds)} s`],
    ["Speech characters per day", number(free.speechCharactersPerDay), number(pro.speechCharactersPerDay)],
    [
      "Audio seconds transcribed per day",
      number(free.transcriptionSecondsPerDay),
      number(pro.transcriptionSecondsPerDay),
    ],
    ["Results kept", `${free.retentionDays} days`, `${pro.retentionDays} days`],
  ];
  return (
    <div className="flex flex-col gap-6">
      <AdminTable label="Rate limits" head={["Policy", "Limits", "Counted per", "Store down"]}>
        {limits.rateLimits.map((policy) => (
          <tr key={policy.name}>
            <Cell>{policy.name}</Cell>
            <Cell>
              {policy.windows.map((w) => `${number(w.limit)} / ${per(w.windowSeconds)}`).join(", ")}
            </Cell>
            <Cell>{policy.identity === "principal" ? "person, key, else address" : policy.identity}</Cell>
            <Cell>{policy.failMode === "closed" ? "refuse (503)" : "let through"}</Cell>
          </tr>
        ))}
      </AdminTable>
      <AdminTable label="Limits per tier" head={["Per tier", "free", "pro"]}>
        {rows.map(([label, a, b]) => (
          <tr key={label}>
            <Cell>{label}</Cell>
            <Cell>{a}</Cell>
            <Cell>{b}</Cell>
          </tr>
        ))}
      </AdminTable>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        At most {limits.jobs.maxActivePerUser} jobs waiting or running per person and{" "}
        {number(limits.jobs.maxQueueDepth)} in all; {limits.jobs.maxInFlightRequests} requests in flight per
        web process. Automatic blocks: more than {limits.abuse.MAX_RATE_LIMITED_PER_WINDOW} rate-limited or{" "}
        {limits.abuse.MAX_INVALID_PER_WINDOW} invalid requests in {limits.abuse.WINDOW_SECONDS / 60} minutes
        blocks the caller for {limits.abuse.BLOCK_SECONDS / 60} minutes.
      </p>
    </div>
  );
}
