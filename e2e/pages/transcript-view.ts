/** Page object for a transcript view: its player, segments, downloads and copy button. */
import type { Locator } from "@playwright/test";

export class TranscriptViewPage {
  readonly audio: Locator;
  readonly segments: Locator;

  constructor(readonly root: Locator) {
    this.audio = root.getByTestId("transcript-audio");
    this.segments = root.getByTestId("transcript-segment");
  }

  currentTime(): Promise<number> {
    return this.audio.evaluate((element: HTMLAudioElement) => element.currentTime);
  }

  /** Puts the playhead somewhere without playing, as dragging the slider would. */
  async placePlayhead(seconds: number) {
    await this.audio.evaluate((element: HTMLAudioElement, at: number) => {
      element.pause();
      element.currentTime = at;
    }, seconds);
  }

  async segmentStarts(): Promise<number[]> {
    return (
      await this.segments.evaluateAll((buttons) => buttons.map((b) => b.getAttribute("data-start")))
    ).map(Number);
  }

  async segmentEnds(): Promise<number[]> {
    return this.root.evaluate(async (element) => {
      const url = element.querySelector("a[download='transcript.json']")?.getAttribute("href") ?? "";
      const body = (await (await fetch(url)).json()) as { segments: { end: number }[] };
      return body.segments.map((segment) => segment.end);
    });
  }
}
