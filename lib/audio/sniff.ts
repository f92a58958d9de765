/**
 * Identifies an upload's container by its magic bytes alone: the extension and the declared
 * Content-Type are whatever the sender says, so neither is trusted. Isomorphic (browser and
 * server) and pure: it sees only the head of the file (SNIFF_HEAD_BYTES) and its total size.
 *
 * It also refuses what no decoder should be handed: markup behind an audio-looking prefix, ID3
 * "tags" of megabytes, and headers whose declared sizes or sample rates cannot be real.
 */
import { type AudioProblem, formatBytes } from "@/lib/audio/errors";
import { LIMITS } from "@/lib/limits";

export type AudioContainer = "wav" | "mp3" | "aac" | "mp4" | "ogg" | "webm" | "flac";

export interface SniffedAudio {
  container: AudioContainer;
  /** The MIME type the bytes say, for storage and for the decoder's hint. */
  mime: string;
  /** What inside the container was recognised: an Ogg codec, an MP4 brand, a Matroska doc type. */
  detail: string;
  /** Bytes of ID3v2 tag before the audio (0 when none). */
  tagBytes: number;
}

export type SniffResult =
  | { ok: true; audio: SniffedAudio }
  | { ok: false; reason: AudioProblem; message: string };

/** How much of the head sniffAudio wants: a whole bounded ID3 tag plus room for the first frames. */
export const SNIFF_HEAD_BYTES = LIMITS.stt.ID3_MAX_TAG_BYTES + LIMITS.stt.SNIFF_HEAD_BYTES;

const ACCEPTED =
  "WAV, MP3, M4A/AAC, OGG (Opus or Vorbis), WebM, FLAC, or the audio track of MP4, WebM or MOV video";

/** How far past the container's own header markup is looked for. */
const MARKUP_SCAN_BYTES = 1024;
const MARKUP = ["<!doctype", "<html", "<?xml", "<head", "<body", "<script", "<svg", "<meta", "<iframe"];

/** Declared sizes this far beyond the real file are absurd rather than a cut-off download. */
const ABSURD_SIZE_SLACK_BYTES = 1024 * 1024;

const refuse = (reason: AudioProblem, message: string): SniffResult => ({ ok: false, reason, message });
const accept = (audio: SniffedAudio): SniffResult => ({ ok: true, audio });

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let text = "";
  for (let i = offset; i < offset + length && i < bytes.length; i++)
    text += String.fromCharCode(bytes[i] ?? 0);
  return text;
}

function u16le(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8);
}

function u32le(bytes: Uint8Array, offset: number): number {
  return (u16le(bytes, offset) | (u16le(bytes, offset + 2) << 16)) >>> 0;
}

function u32be(bytes: Uint8Array, offset: number): number {
  return (
    (((bytes[offset] ?? 0) << 24) |
      ((bytes[offset + 1] ?? 0) << 16) |
      ((bytes[offset + 2] ?? 0) << 8) |
      (bytes[offset + 3] ?? 0)) >>>
    0
  );
}

function hasMarkup(bytes: Uint8Array, from: number): boolean {
  const text = ascii(bytes, from, MARKUP_SCAN_BYTES).toLowerCase();
  return MARKUP.some((tag) => text.includes(tag));
}

function looksLikeMarkupDocument(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && i < 256 && /\s/.test(String.fromCharCode(bytes[i] ?? 0))) i++;
  return bytes[i] === 0x3c /* < */ && hasMarkup(bytes, i);
}

function sampleRateProblem(rate: number, what: string): SniffResult | undefined {
  const { MIN_SOURCE_SAMPLE_RATE, MAX_SOURCE_SAMPLE_RATE } = LIMITS.stt;
  if (rate >= MIN_SOURCE_SAMPLE_RATE && rate <= MAX_SOURCE_SAMPLE_RATE) return undefined;
  return refuse(
    "bad_sample_rate",
    `The ${what} declares a sample rate of ${rate} Hz; real recordings use ${MIN_SOURCE_SAMPLE_RATE}–${MAX_SOURCE_SAMPLE_RATE} Hz`,
  );
}

/** A declared length past the end of the file: absurd when far past it, else a cut-off file. */
function sizeProblem(declaredEnd: number, total: number, what: string): SniffResult | undefined {
  if (declaredEnd <= total + 8) return undefined;
  if (declaredEnd > 2 * total + ABSURD_SIZE_SLACK_BYTES) {
    return refuse(
      "absurd_size",
      `The ${what} declares ${formatBytes(declaredEnd)} but the file is only ${formatBytes(total)}`,
    );
  }
  return refuse(
    "truncated",
    `The file is cut short: its ${what} declares ${formatBytes(declaredEnd)} but only ${formatBytes(total)} arrived`,
  );
}

function sniffWav(bytes: Uint8Array, total: number): SniffResult {
  const magic = ascii(bytes, 0, 4);
  const riffSize = u32le(bytes, 4);
  // RF64/BW64 and streamed WAVs write a placeholder size; the data chunk is checked instead.
  const placeholder = magic !== "RIFF" || riffSize === 0 || riffSize === 0xffffffff;
  if (!placeholder) {
    const problem = sizeProblem(riffSize + 8, total, "WAV header");
    if (problem) return problem;
  }
  let offset = 12;
  let sawFormat = false;
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset, 4);
    const size = u32le(bytes, offset + 4);
    const body = offset + 8;
    if (id === "fmt ") {
      if (size < 16 || body + 16 > bytes.length) return refuse("corrupt", "The WAV format header is damaged");
      const channels = u16le(bytes, body + 2);
      if (u16le(bytes, body) === 0 || channels < 1 || channels > 32) {
        return refuse("corrupt", `The WAV format header is damaged (${channels} channels)`);
      }
      const rateProblem = sampleRateProblem(u32le(bytes, body + 4), "WAV header");
      if (rateProblem) return rateProblem;
      sawFormat = true;
    } else if (id === "data") {
      if (!sawFormat) return refuse("corrupt", "The WAV file has audio data before its format header");
      if (size !== 0 && size !== 0xffffffff) {
        const problem = sizeProblem(body + size, total, "WAV data chunk");
        if (problem) return problem;
      }
      return accept({ container: "wav", mime: "audio/wav", detail: magic, tagBytes: 0 });
    }
    const next = body + size + (size % 2);
    if (next > total) {
      return (
        sizeProblem(next, total, `WAV "${id.replace(/[^\x20-\x7e]/g, "?")}" chunk`) ??
        refuse("truncated", "The WAV file ends inside a chunk")
      );
    }
    offset = next;
  }
  if (offset + 8 > total) return refuse("truncated", "The WAV file ends before its audio data");
  return refuse("corrupt", `The WAV file has no format header in its first ${formatBytes(bytes.length)}`);
}

/** MPEG audio frame header (MP3 and friends) at `offset`, checked field by field. */
function isMpegFrame(bytes: Uint8Array, offset: number): boolean {
  const b1 = bytes[offset + 1] ?? 0;
  const b2 = bytes[offset + 2] ?? 0;
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 3;
  const layer = (b1 >> 1) & 3;
  const bitrate = b2 >> 4;
  const rate = (b2 >> 2) & 3;
  return version !== 1 && layer !== 0 && bitrate !== 15 && rate !== 3;
}

/** ADTS (raw AAC) frame header: 12-bit sync, layer 0, a valid sampling-frequency index. */
function isAdtsFrame(bytes: Uint8Array, offset: number): boolean {
  const b1 = bytes[offset + 1] ?? 0;
  return bytes[offset] === 0xff && (b1 & 0xf6) === 0xf0 && (((bytes[offset + 2] ?? 0) >> 2) & 0xf) < 13;
}

function sniffFlac(bytes: Uint8Array, offset: number, tagBytes: number): SniffResult {
  // The first metadata block must be STREAMINFO (type 0, 34 bytes).
  if (bytes.length < offset + 42) return refuse("truncated", "The FLAC file ends inside its header");
  if (((bytes[offset + 4] ?? 0) & 0x7f) !== 0 || u32be(bytes, offset + 4) % 0x1000000 !== 34) {
    return refuse("corrupt", "The FLAC header is damaged");
  }
  const info = offset + 8;
  const rate =
    ((bytes[info + 10] ?? 0) << 12) | ((bytes[info + 11] ?? 0) << 4) | ((bytes[info + 12] ?? 0) >> 4);
  return (
    sampleRateProblem(rate, "FLAC header") ??
    accept({ container: "flac", mime: "audio/flac", detail: "flac", tagBytes })
  );
}

/** What follows an ID3v2 tag (or starts the file): MPEG frames, ADTS AAC, or FLAC. */
function sniffAfterTag(bytes: Uint8Array, start: number, tagBytes: number): SniffResult | undefined {
  if (ascii(bytes, start, 4) === "fLaC") return sniffFlac(bytes, start, tagBytes);
  // Some taggers leave zero padding past the declared tag size; skip a little of it.
  let offset = start;
  while (tagBytes > 0 && offset < start + 4096 && bytes[offset] === 0) offset++;
  if (isAdtsFrame(bytes, offset))
    return accept({ container: "aac", mime: "audio/aac", detail: "adts", tagBytes });
  if (isMpegFrame(bytes, offset))
    return accept({ container: "mp3", mime: "audio/mpeg", detail: "mpeg", tagBytes });
  return undefined;
}

function sniffId3(bytes: Uint8Array, total: number): SniffResult {
  const sizeBytes = [bytes[6] ?? 0, bytes[7] ?? 0, bytes[8] ?? 0, bytes[9] ?? 0];
  if (bytes.length < 10) return refuse("truncated", "The file ends inside its ID3 tag header");
  if ((bytes[3] ?? 0) > 4 || sizeBytes.some((b) => b >= 0x80))
    return refuse("corrupt", "The ID3 tag header is damaged");
  const footer = ((bytes[5] ?? 0) & 0x10) !== 0 ? 10 : 0;
  const tagSize = sizeBytes.reduce((size, b) => (size << 7) | b, 0);
  const tagBytes = 10 + tagSize + footer;
  if (tagSize > LIMITS.stt.ID3_MAX_TAG_BYTES) {
    return refuse(
      "tag_too_large",
      `The file starts with a ${formatBytes(tagSize)} ID3 tag; tags (cover art included) may be at most ${formatBytes(LIMITS.stt.ID3_MAX_TAG_BYTES)}`,
    );
  }
  if (tagBytes >= total)
    return refuse("truncated", "The file ends inside its ID3 tag: there is no audio after it");
  if (hasMarkup(bytes, tagBytes))
    return refuse("markup", "The file has an MP3 tag but holds a web page (HTML), not audio");
  return (
    sniffAfterTag(bytes, tagBytes, tagBytes) ??
    refuse("corrupt", "The file has an ID3 tag but no MP3, AAC or FLAC audio after it")
  );
}

const IMAGE_BRANDS = new Set(["heic", "heix", "mif1", "msf1", "avif", "avis", "crx "]);

function sniffIsoMedia(bytes: Uint8Array, total: number): SniffResult {
  const boxSize = u32be(bytes, 0);
  if (boxSize < 16 || boxSize > 4096) return refuse("corrupt", "The MP4 header (ftyp box) is damaged");
  if (boxSize > total) return refuse("truncated", "The file ends inside its MP4 header");
  const brands = [ascii(bytes, 8, 4)];
  for (let offset = 16; offset + 4 <= boxSize; offset += 4) brands.push(ascii(bytes, offset, 4));
  const major = brands[0] ?? "";
  if (brands.every((brand) => IMAGE_BRANDS.has(brand))) {
    return refuse("unsupported_format", `This is an image (${major.trim()}), not audio or video`);
  }
  const mime =
    major === "qt  "
      ? "video/quicktime"
      : major.startsWith("M4A") || major === "M4B "
        ? "audio/mp4"
        : "video/mp4";
  return accept({ container: "mp4", mime, detail: major.trim(), tagBytes: 0 });
}

const OGG_CODECS: [prefix: string, codec: string][] = [
  ["OpusHead", "opus"],
  ["\x01vorbis", "vorbis"],
  ["\x7fFLAC", "flac"],
  ["Speex   ", "speex"],
];

function sniffOgg(bytes: Uint8Array): SniffResult {
  // Walk the beginning-of-stream pages: a video may carry its audio in a later stream.
  let offset = 0;
  const seen: string[] = [];
  while (ascii(bytes, offset, 4) === "OggS") {
    if (bytes[offset + 4] !== 0) return refuse("corrupt", "The Ogg page header is damaged");
    if (((bytes[offset + 5] ?? 0) & 0x02) === 0) break;
    const segments = bytes[offset + 26] ?? 0;
    const payload = offset + 27 + segments;
    if (payload > bytes.length) return refuse("truncated", "The file ends inside its first Ogg page");
    let length = 0;
    for (let i = 0; i < segments; i++) length += bytes[offset + 27 + i] ?? 0;
    const head = ascii(bytes, payload, 8);
    const codec = OGG_CODECS.find(([prefix]) => head.startsWith(prefix))?.[1];
    if (codec) return accept({ container: "ogg", mime: "audio/ogg", detail: codec, tagBytes: 0 });
    seen.push(head.replace(/[^\x20-\x7e]/g, "").trim() || "unknown");
    offset = payload + length;
  }
  if (seen.length === 0) return refuse("corrupt", "The Ogg file has no stream headers");
  return refuse(
    "no_audio",
    `The Ogg file has no Opus, Vorbis or FLAC audio stream (found: ${seen.join(", ")})`,
  );
}

function sniffMatroska(bytes: Uint8Array): SniffResult {
  // DocType (element 0x4282) sits in the EBML header, within its first few dozen bytes.
  const header = ascii(bytes, 4, 64);
  const docType = header.includes("\x42\x82")
    ? header.includes("webm")
      ? "webm"
      : header.includes("matroska")
        ? "matroska"
        : undefined
    : undefined;
  if (!docType) return refuse("corrupt", "The WebM/Matroska header is damaged (no document type)");
  return accept({
    container: "webm",
    mime: docType === "webm" ? "audio/webm" : "audio/x-matroska",
    detail: docType,
    tagBytes: 0,
  });
}

function identify(bytes: Uint8Array, total: number): SniffResult | undefined {
  const magic = ascii(bytes, 0, 4);
  if ((magic === "RIFF" || magic === "RF64" || magic === "BW64") && ascii(bytes, 8, 4) === "WAVE") {
    return sniffWav(bytes, total);
  }
  if (magic.startsWith("ID3")) return sniffId3(bytes, total);
  if (magic === "fLaC") return sniffFlac(bytes, 0, 0);
  if (ascii(bytes, 4, 4) === "ftyp") return sniffIsoMedia(bytes, total);
  if (magic === "OggS") return sniffOgg(bytes);
  if (u32be(bytes, 0) === 0x1a45dfa3) return sniffMatroska(bytes);
  return sniffAfterTag(bytes, 0, 0);
}

/**
 * Identifies `head` (the first SNIFF_HEAD_BYTES of the file, or all of it) as an accepted audio
 * container, or says exactly why not. `totalBytes` is the whole file's size.
 */
export function sniffAudio(head: Uint8Array, totalBytes: number = head.length): SniffResult {
  if (totalBytes === 0 || head.length === 0) return refuse("empty", "The file is empty (0 bytes)");
  if (looksLikeMarkupDocument(head)) return refuse("markup", "This is a web page or XML document, not audio");
  const result = identify(head, totalBytes);
  if (!result) {
    return refuse(
      "unsupported_format",
      `This is not a recognised audio or video file. Accepted: ${ACCEPTED}`,
    );
  }
  // An audio-looking prefix followed by a web page: whatever its headers claim, it is not audio.
  if (hasMarkup(head, 4)) {
    return refuse("markup", "The file starts like audio but holds a web page (HTML), not audio");
  }
  return result;
}
