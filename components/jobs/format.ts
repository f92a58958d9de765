/** Small display helpers for job details (sizes: lib/audio/errors formatBytes). */

export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  return minutes ? `${minutes} min ${whole % 60} s` : `${whole} s`;
}

/** 1 → "1st", 2 → "2nd", 3 → "3rd", 11 → "11th", 22 → "22nd": for a place in line. */
export function ordinal(n: number): string {
  const lastTwo = n % 100;
  const suffix =
    lastTwo >= 11 && lastTwo <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10];
  return `${n}${suffix ?? "th"}`;
}

/** What a waiting job's card says about its place in the queue. */
export function describeWait(position: number | null): string {
  return position ? `${ordinal(position)} in line` : "Waiting in line";
}

/** "Kept until Nov 30, 2026": the day the retention sweep deletes a result. */
export function formatKeptUntil(expiresAt: string): string {
  const day = new Date(expiresAt).toLocaleDateString("en", {
    day: "numeric",
    month: "short",
    year: "numeric",
  });
  return `Kept until ${day}`;
}

export const STATUS_LABELS = {
  queued: "Waiting",
  running: "Running",
  succeeded: "Done",
  failed: "Failed",
  canceled: "Canceled",
} as const;
