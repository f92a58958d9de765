/** Renders fetch progress on stderr: a redrawn bar on a terminal, plain lines in logs and CI. */
import type { FetchProgressEvent } from "@/models/fetch";

const BAR_WIDTH_CHARS = 24;
const REDRAW_INTERVAL_MS = 100;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

function bar(received: number, total: number | undefined): string {
  if (!total) return formatBytes(received);
  const fraction = Math.min(1, received / total);
  const filled = Math.round(fraction * BAR_WIDTH_CHARS);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH_CHARS - filled)}] ${percent} ${formatBytes(received)} / ${formatBytes(total)}`;
}

export function createProgressReporter(stream: NodeJS.WriteStream): (event: FetchProgressEvent) => void {
  const tty = Boolean(stream.isTTY);
  let barShown = false;
  let lastDrawMs = 0;
  const line = (text: string) => {
    stream.write(`${barShown ? "\r\x1b[2K" : ""}${text}\n`);
    barShown = false;
  };
  return (event) => {
    switch (event.kind) {
      case "start":
        if (!tty) line(`${event.label}: fetching from ${event.source}`);
        return;
      case "bytes": {
        const now = Date.now();
        if (!tty || (now - lastDrawMs < REDRAW_INTERVAL_MS && event.receivedBytes !== event.totalBytes))
          return;
        lastDrawMs = now;
        stream.write(`\r\x1b[2K${event.label} ${bar(event.receivedBytes, event.totalBytes)}`);
        barShown = true;
        return;
      }
      case "note":
        line(`${event.label}: ${event.message}`);
        return;
      case "done":
        line(`ok      ${event.label} (${formatBytes(event.bytes)}, ${event.source})`);
        return;
      case "failed":
        line(`FAILED  ${event.label}: ${event.message}`);
        return;
    }
  };
}
