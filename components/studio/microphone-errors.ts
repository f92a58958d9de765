/**
 * What to tell a person when the microphone cannot be used, by the DOMException name that
 * getUserMedia rejects with (Media Capture and Streams §10.2). Each says what to do next.
 */

export const MICROPHONE_MESSAGES = {
  unsupported:
    "This browser cannot record here. Recording needs a secure (HTTPS) page in a current browser; you can still choose a file.",
  denied:
    "Parla may not use the microphone. Allow microphone access for this site in your browser's settings, then press Record again.",
  missing:
    "No microphone was found. Connect one, or choose one in your system's sound settings, then press Record again.",
  busy: "The microphone could not be started. Another app may be using it; close that app, then press Record again.",
  failed: "Recording stopped because of a browser error. Press Record to try again.",
} as const;

export function microphoneMessage(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return MICROPHONE_MESSAGES.denied;
    case "NotFoundError":
    case "OverconstrainedError":
      return MICROPHONE_MESSAGES.missing;
    case "NotReadableError":
    case "AbortError":
      return MICROPHONE_MESSAGES.busy;
    default:
      return MICROPHONE_MESSAGES.failed;
  }
}
