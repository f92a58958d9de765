import { describe, expect, it } from "vitest";
import { MICROPHONE_MESSAGES, microphoneMessage } from "./microphone-errors";

describe("microphoneMessage", () => {
  it("names the cause getUserMedia reports, each with what to do next", () => {
    const cases: [string, string][] = [
      ["NotAllowedError", MICROPHONE_MESSAGES.denied],
      ["SecurityError", MICROPHONE_MESSAGES.denied],
      ["NotFoundError", MICROPHONE_MESSAGES.missing],
      ["OverconstrainedError", MICROPHONE_MESSAGES.missing],
      ["NotReadableError", MICROPHONE_MESSAGES.busy],
      ["AbortError", MICROPHONE_MESSAGES.busy],
    ];
    for (const [name, message] of cases) {
      expect(microphoneMessage(new DOMException("browser wording", name))).toBe(message);
    }
    expect(new Set(Object.values(MICROPHONE_MESSAGES)).size).toBe(Object.keys(MICROPHONE_MESSAGES).length);
  });

  it("never shows the browser's own wording, even for causes it does not know", () => {
    expect(microphoneMessage(new DOMException("Something odd", "UnknownError"))).toBe(
      MICROPHONE_MESSAGES.failed,
    );
    expect(microphoneMessage("a string")).toBe(MICROPHONE_MESSAGES.failed);
    expect(microphoneMessage(new TypeError("x"))).toBe(MICROPHONE_MESSAGES.failed);
  });
});
