import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  blendVoiceTables,
  parseVoiceTable,
  STYLE_DIM,
  styleRow,
  VOICE_BYTES,
  VoiceFormatError,
} from "@/lib/tts/voice-style";
import { hasModelMirror, MODEL_MIRROR_DIR } from "@/test/mirror";

const voiceBytes = (name: string) =>
  readFileSync(path.join(MODEL_MIRROR_DIR, "kokoro-82m-v1.0-voices", "voices", `${name}.bin`));

describe.skipIf(!hasModelMirror)("Kokoro voice styles", () => {
  const bytes = voiceBytes("af_heart");
  const table = parseVoiceTable(bytes);

  it("reads row N at byte offset N*256*4, little-endian", () => {
    const row = styleRow(table, 10);
    expect(row).toHaveLength(STYLE_DIM);
    for (const i of [0, 1, 100, 255]) expect(row[i]).toBe(bytes.readFloatLE(10 * STYLE_DIM * 4 + i * 4));
    for (const value of row) expect(Number.isFinite(value)).toBe(true);
  });

  it("clamps token counts past the last row", () => {
    expect(styleRow(table, 10_000)).toEqual(styleRow(table, 509));
    expect(styleRow(table, -3)).toEqual(styleRow(table, 0));
  });

  it("refuses a file of the wrong size", () => {
    expect(() => parseVoiceTable(bytes.subarray(0, VOICE_BYTES - 4))).toThrow(VoiceFormatError);
  });

  it("blends two voices by normalised weights", () => {
    const other = parseVoiceTable(voiceBytes("am_michael"));
    const mixed = blendVoiceTables([
      { table, weight: 3 },
      { table: other, weight: 1 },
    ]);
    for (const i of [0, 5000, table.length - 1]) {
      expect(mixed[i]).toBeCloseTo(0.75 * (table[i] ?? 0) + 0.25 * (other[i] ?? 0), 6);
    }
    expect(blendVoiceTables([{ table, weight: 1 }])).toEqual(table);
    expect(() => blendVoiceTables([{ table, weight: 0 }])).toThrow(VoiceFormatError);
  });
});
