import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AudioInputError } from "@/lib/audio/errors";
import { audioLimitsFor, checkAudioDuration, checkAudioSize } from "@/lib/audio/limits";
import { SNIFF_HEAD_BYTES, sniffAudio } from "@/lib/audio/sniff";
import { LIMITS } from "@/lib/limits";
import { encode, makeTone, makeVideo } from "@/server/audio/make-test-audio";

let dir: string;
let wav: Buffer;
const real = new Map<string, Buffer>();

/** [file name, ffmpeg args, expected container, expected detail] */
const ENCODED: [string, string[], string, string][] = [
  ["tone.mp3", ["-c:a", "libmp3lame"], "mp3", "mpeg"],
  ["tone-notag.mp3", ["-c:a", "libmp3lame", "-id3v2_version", "0", "-write_xing", "0"], "mp3", "mpeg"],
  ["tone.m4a", ["-c:a", "aac"], "mp4", "M4A"],
  ["tone.aac", ["-c:a", "aac", "-f", "adts"], "aac", "adts"],
  ["tone.opus", ["-c:a", "libopus"], "ogg", "opus"],
  ["tone.ogg", ["-c:a", "libvorbis"], "ogg", "vorbis"],
  ["tone.webm", ["-c:a", "libopus"], "webm", "webm"],
  ["tone.mka", ["-c:a", "flac"], "webm", "matroska"],
  ["tone.flac", ["-c:a", "flac"], "flac", "flac"],
];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "parla-sniff-"));
  const tone = await makeTone(dir, "tone.wav", 0.5);
  wav = await readFile(tone);
  await Promise.all([
    ...ENCODED.map(async ([name, args]) =>
      real.set(name, await readFile(await encode(tone, path.join(dir, name), args))),
    ),
    makeVideo(tone, path.join(dir, "clip.mp4")).then(async (file) =>
      real.set("clip.mp4", await readFile(file)),
    ),
    makeVideo(tone, path.join(dir, "clip.mov")).then(async (file) =>
      real.set("clip.mov", await readFile(file)),
    ),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const reasonOf = (bytes: Uint8Array, total?: number) => {
  const result = sniffAudio(bytes, total);
  return result.ok ? "ok" : result.reason;
};

function id3(tagSize: number, after: Uint8Array): Uint8Array {
  const header = [0x49, 0x44, 0x33, 4, 0, 0];
  for (let shift = 21; shift >= 0; shift -= 7) header.push((tagSize >> shift) & 0x7f);
  return Uint8Array.from([...header, ...new Uint8Array(tagSize), ...after]);
}

const text = (value: string) => new TextEncoder().encode(value);

describe("sniffAudio on files real encoders wrote", () => {
  it("knows WAV", () => {
    expect(sniffAudio(wav)).toEqual({
      ok: true,
      audio: { container: "wav", mime: "audio/wav", detail: "RIFF", tagBytes: 0 },
    });
  });

  it.each(ENCODED)("knows %s", (name, _args, container, detail) => {
    const result = sniffAudio(real.get(name) ?? new Uint8Array());
    expect(result.ok && result.audio.container).toBe(container);
    expect(result.ok && result.audio.detail).toBe(detail);
  });

  it("reports the ID3 tag an MP3 encoder wrote", () => {
    const result = sniffAudio(real.get("tone.mp3") ?? new Uint8Array());
    expect(result.ok && result.audio.tagBytes).toBeGreaterThan(10);
  });

  it("knows MP4 and MOV video (their audio track is used later)", () => {
    const mp4 = sniffAudio(real.get("clip.mp4") ?? new Uint8Array());
    const mov = sniffAudio(real.get("clip.mov") ?? new Uint8Array());
    expect(mp4.ok && [mp4.audio.container, mp4.audio.mime]).toEqual(["mp4", "video/mp4"]);
    expect(mov.ok && [mov.audio.container, mov.audio.mime]).toEqual(["mp4", "video/quicktime"]);
  });
});

describe("sniffAudio refuses", () => {
  it("zero bytes", () => {
    expect(reasonOf(new Uint8Array())).toBe("empty");
  });

  it("HTML, plain and behind audio-looking prefixes", () => {
    expect(reasonOf(text("\n  <!DOCTYPE html><html><body>hi</body></html>"))).toBe("markup");
    const riff = Uint8Array.from([...wav.subarray(0, 12), ...text("<!DOCTYPE html><html></html>")]);
    expect(reasonOf(riff, 100_000)).toBe("markup");
    const riffLater = Uint8Array.from([...wav.subarray(0, 44), ...text("<html><script>x</script></html>")]);
    expect(reasonOf(riffLater)).toBe("markup");
    expect(reasonOf(id3(20, text("<html><body>not audio</body></html>")))).toBe("markup");
    const mp3 = real.get("tone-notag.mp3") ?? new Uint8Array();
    expect(reasonOf(Uint8Array.from([...mp3.subarray(0, 4), ...text("<html></html>")]))).toBe("markup");
  });

  it("things that are not audio at all", () => {
    expect(reasonOf(text("just some text, long enough to look at"))).toBe("unsupported_format");
    expect(reasonOf(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toBe(
      "unsupported_format",
    );
    const heic = Uint8Array.from([0, 0, 0, 24, ...text("ftypheic"), 0, 0, 0, 0, ...text("mif1heic")]);
    const result = sniffAudio(heic);
    expect(!result.ok && result.message).toContain("image");
  });

  it("megabytes of ID3 padding, but not a normal tag", () => {
    const frame = (real.get("tone-notag.mp3") ?? new Uint8Array()).subarray(0, 2048);
    expect(reasonOf(id3(4096, frame))).toBe("ok");
    expect(reasonOf(id3(LIMITS.stt.ID3_MAX_TAG_BYTES + 1, frame))).toBe("tag_too_large");
    expect(reasonOf(id3(100, new Uint8Array()))).toBe("truncated");
    expect(reasonOf(id3(100, text("garbage after the tag")))).toBe("corrupt");
  });

  it("WAV headers that declare what the file cannot be", () => {
    const absurd = Buffer.from(wav);
    absurd.writeUInt32LE(0x7fffffff, 4);
    expect(reasonOf(absurd)).toBe("absurd_size");
    const cut = wav.subarray(0, wav.length / 2);
    expect(reasonOf(cut)).toBe("truncated");
    for (const rate of [0, 1, 10_000_000]) {
      const bad = Buffer.from(wav);
      bad.writeUInt32LE(rate, 24);
      expect(reasonOf(bad)).toBe("bad_sample_rate");
    }
    const noChannels = Buffer.from(wav);
    noChannels.writeUInt16LE(0, 22);
    expect(reasonOf(noChannels)).toBe("corrupt");
  });

  it("an Ogg file whose only stream is not audio", () => {
    const page = Uint8Array.from([
      ...text("OggS"),
      0,
      0x02,
      ...new Uint8Array(20),
      1,
      7,
      ...text("\x80theora"),
    ]);
    expect(reasonOf(page)).toBe("no_audio");
  });

  it("a FLAC whose STREAMINFO says 0 Hz", () => {
    const flac = Buffer.from(real.get("tone.flac") ?? new Uint8Array());
    flac[18] = 0;
    flac[19] = 0;
    flac[20] = (flac[20] ?? 0) & 0x0f;
    expect(reasonOf(flac)).toBe("bad_sample_rate");
  });

  it("wants a head that covers the largest tag it allows", () => {
    expect(SNIFF_HEAD_BYTES).toBeGreaterThan(LIMITS.stt.ID3_MAX_TAG_BYTES + 10);
  });
});

describe("tier limits", () => {
  it("defaults to the free tier's 10 MB and 90 s", () => {
    expect(audioLimitsFor(undefined)).toEqual({ maxBytes: 10 * 1024 * 1024, maxSeconds: 90 });
    expect(audioLimitsFor("no-such-tier")).toEqual(audioLimitsFor("free"));
    expect(audioLimitsFor("pro").maxSeconds).toBeGreaterThan(90);
  });

  it("refuses with errors that say the size and the limit", () => {
    const free = audioLimitsFor("free");
    expect(() => checkAudioSize(free.maxBytes, free)).not.toThrow();
    expect(() => checkAudioSize(free.maxBytes + 1, free)).toThrow("the limit is 10 MB");
    expect(() => checkAudioDuration(91, free)).toThrow("The recording is 91 s long; the limit is 90 s");
    try {
      checkAudioSize(0, free);
    } catch (error) {
      expect(error).toBeInstanceOf(AudioInputError);
      expect((error as AudioInputError).code).toBe("bad_request:audio.empty");
      expect((error as AudioInputError).status).toBe(400);
    }
  });
});
