/**
 * Our own WAV (RIFF, PCM 16-bit) writer and reader, so the common formats need no external
 * tool, plus the float ↔ s16le conversion shared with the raw `pcm` format.
 */

export interface PcmAudio {
  /** Mono samples in [-1, 1]. */
  samples: Float32Array;
  sampleRate: number;
}

export class WavFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WavFormatError";
  }
}

/** Float samples → signed 16-bit little-endian, clipped to the range (no wrap-around). */
export function floatToS16le(samples: Float32Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const value = Math.max(-1, Math.min(1, samples[i] ?? 0));
    out.writeInt16LE(Math.round(value < 0 ? value * 0x8000 : value * 0x7fff), i * 2);
  }
  return out;
}

export function encodeWav16({ samples, sampleRate }: PcmAudio): Buffer {
  const data = floatToS16le(samples);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write("data", 36, "ascii");
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/**
 * Reads a PCM 16-bit WAV (mono, or the first channel of several). A data size past the end of
 * the buffer (streamed WAVs, such as espeak-ng --stdout writes) means "to the end".
 */
export function parseWav16(buffer: Buffer): PcmAudio {
  if (
    buffer.length < 12 ||
    buffer.toString("ascii", 0, 4) !== "RIFF" ||
    buffer.toString("ascii", 8, 12) !== "WAVE"
  ) {
    throw new WavFormatError("Not a RIFF/WAVE file");
  }
  let offset = 12;
  let format: { channels: number; sampleRate: number; bits: number; codec: number } | undefined;
  while (offset + 8 <= buffer.length) {
    const id = buffer.toString("ascii", offset, offset + 4);
    const size = buffer.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === "fmt " && body + 16 <= buffer.length) {
      format = {
        codec: buffer.readUInt16LE(body),
        channels: buffer.readUInt16LE(body + 2),
        sampleRate: buffer.readUInt32LE(body + 4),
        bits: buffer.readUInt16LE(body + 14),
      };
    } else if (id === "data") {
      if (format?.codec !== 1 || format.bits !== 16 || format.channels < 1) {
        throw new WavFormatError("Only PCM 16-bit WAV is read");
      }
      const end = Math.min(buffer.length, body + size);
      const frameBytes = 2 * format.channels;
      const frames = Math.floor((end - body) / frameBytes);
      const samples = new Float32Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = buffer.readInt16LE(body + i * frameBytes) / 0x8000;
      return { samples, sampleRate: format.sampleRate };
    }
    offset = body + size + (size % 2);
  }
  throw new WavFormatError("WAV has no data chunk");
}
