/**
 * Kokoro voices: a voices/NAME.bin file is float32 little-endian [510, 1, 256]. The style for an
 * input of N phoneme tokens (not counting the two pads) is row N, because each row was fitted to
 * utterances of that length.
 */

export const STYLE_DIM = 256;
export const VOICE_ROWS = 510;
export const VOICE_BYTES = VOICE_ROWS * STYLE_DIM * 4;

export class VoiceFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VoiceFormatError";
  }
}

/** Bytes of a voice file → its table (copied, so the result is aligned and owns its memory). */
export function parseVoiceTable(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength !== VOICE_BYTES) {
    throw new VoiceFormatError(`A Kokoro voice is ${VOICE_BYTES} bytes; got ${bytes.byteLength}`);
  }
  const table = new Float32Array(VOICE_ROWS * STYLE_DIM);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < table.length; i++) table[i] = view.getFloat32(i * 4, true);
  return table;
}

/** The style vector for `tokenCount` phoneme tokens (pads excluded); longer inputs use the last row. */
export function styleRow(table: Float32Array, tokenCount: number): Float32Array {
  const rows = table.length / STYLE_DIM;
  if (!Number.isInteger(rows) || rows < 1) throw new VoiceFormatError("Voice table is not [rows, 256]");
  const row = Math.min(Math.max(0, Math.floor(tokenCount)), rows - 1);
  return table.slice(row * STYLE_DIM, (row + 1) * STYLE_DIM);
}

/** A weighted mix of voice tables (weights are normalised to sum to 1). */
export function blendVoiceTables(parts: readonly { table: Float32Array; weight: number }[]): Float32Array {
  const first = parts[0];
  if (!first) throw new VoiceFormatError("Nothing to blend");
  const total = parts.reduce((sum, part) => sum + part.weight, 0);
  if (!(total > 0)) throw new VoiceFormatError("Blend weights must be positive");
  const mixed = new Float32Array(first.table.length);
  for (const { table, weight } of parts) {
    if (table.length !== mixed.length) throw new VoiceFormatError("Blended voices differ in shape");
    const w = weight / total;
    for (let i = 0; i < mixed.length; i++) mixed[i] = (mixed[i] ?? 0) + (table[i] ?? 0) * w;
  }
  return mixed;
}
