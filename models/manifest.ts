/**
 * Every model file Parla can use: where it comes from, where a mirror keeps it, its license.
 * Hashes live in models.lock.json, not here, so pinning never edits this file.
 */
import { type ModelEntry, type ModelFile, manifestSchema } from "@/models/schema";

const HF = "https://huggingface.co";
const KOKORO_HF = `${HF}/onnx-community/Kokoro-82M-v1.0-ONNX/resolve/main`;
const PIPER_HF = `${HF}/rhasspy/piper-voices/resolve/main`;
// Raw GitHub URLs name a commit, so what they serve can never change under the pin.
const SILERO_RAW =
  "https://raw.githubusercontent.com/snakers4/silero-vad/806dcba3f0b5d95282d0889a074954a2f8c6397b";
const KOKORO_FASTAPI_RAW =
  "https://raw.githubusercontent.com/remsky/Kokoro-FastAPI/26eec068d8ce6f559afef83f68933127ac38e315";

export const KOKORO_VOICES = [
  "af_alloy",
  "af_aoede",
  "af_bella",
  "af_heart",
  "af_jessica",
  "af_kore",
  "af_nicole",
  "af_nova",
  "af_river",
  "af_sarah",
  "af_sky",
  "am_adam",
  "am_echo",
  "am_eric",
  "am_fenrir",
  "am_liam",
  "am_michael",
  "am_onyx",
  "am_puck",
  "am_santa",
  "bf_alice",
  "bf_emma",
  "bf_isabella",
  "bf_lily",
  "bm_daniel",
  "bm_fable",
  "bm_george",
  "bm_lewis",
] as const;

const KOKORO_VOICE_BYTES = 510 * 256 * 4;

/** The transformers.js/optimum layout every Whisper entry has (and the Whisper loader requires). */
export const WHISPER_FILES = [
  "config.json",
  "generation_config.json",
  "preprocessor_config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "onnx/encoder_model.onnx",
  "onnx/decoder_model_merged.onnx",
] as const;

function whisper(size: string, description: string, extraFiles: string[] = []): ModelEntry {
  return {
    id: `whisper-${size}`,
    description,
    license: "MIT (OpenAI Whisper weights)",
    engine: "stt-whisper",
    files: [...WHISPER_FILES, ...extraFiles].map((path) => ({
      path,
      url: `${HF}/onnx-community/whisper-${size}/resolve/main/${path}`,
    })),
  };
}

function piper(voice: string, folder: string, description: string): ModelEntry {
  return {
    id: `piper-${voice.toLowerCase().replaceAll("_", "-")}`,
    description,
    license:
      "MIT (Piper); voice data under the dataset terms in the voice's MODEL_CARD on rhasspy/piper-voices",
    engine: "tts-piper",
    files: [`${voice}.onnx`, `${voice}.onnx.json`].map((path) => ({
      path,
      url: `${PIPER_HF}/${folder}/${path}`,
    })),
  };
}

function silero(path: string, source: string, bytes: number): ModelFile {
  return { path, url: `${SILERO_RAW}/${source}`, bytes, mirrorPath: `silero-vad/${path}` };
}

/** Fixture files exist only in the shared mirror (`test/<id>/…`); they have no public URL. */
function fixtureFiles(id: string, files: [path: string, bytes: number][]): ModelFile[] {
  return files.map(([path, bytes]) => ({ path, bytes, mirrorPath: `test/${id}/${path}` }));
}

export const MODEL_MANIFEST: readonly ModelEntry[] = manifestSchema.parse([
  {
    id: "silero-vad",
    description: "Silero VAD v6.2 (ONNX, 8/16 kHz) and its 16 kHz-only opset-15 export",
    license: "MIT",
    engine: "vad",
    files: [
      silero("silero_vad.onnx", "src/silero_vad/data/silero_vad.onnx", 2_327_524),
      silero("silero_vad_16k_op15.onnx", "src/silero_vad/data/silero_vad_16k_op15.onnx", 1_289_603),
      silero("LICENSE", "LICENSE", 1_075),
    ],
  },
  {
    id: "kokoro-82m-v1.0-voices",
    description:
      "The 28 English Kokoro-82M v1.0 voices (float32 [510,1,256]) and the hexgrad config with its vocab",
    license: "Apache-2.0",
    engine: "tts-kokoro",
    files: [
      {
        path: "config.json",
        url: `${KOKORO_FASTAPI_RAW}/api/src/models/v1_0/config.json`,
        bytes: 2_351,
        mirrorPath: "kokoro-82m-v1.0-voices/config.json",
      },
      ...KOKORO_VOICES.map((voice) => ({
        path: `voices/${voice}.bin`,
        url: `${KOKORO_HF}/voices/${voice}.bin`,
        bytes: KOKORO_VOICE_BYTES,
        mirrorPath: `kokoro-82m-v1.0-voices/voices/${voice}.bin`,
      })),
    ],
  },
  {
    id: "kokoro-82m-v1.0",
    description: "Kokoro-82M v1.0 acoustic model (onnx-community ONNX: fp32 and 8-bit quantized)",
    license: "Apache-2.0",
    engine: "tts-kokoro",
    requires: ["kokoro-82m-v1.0-voices"],
    files: [
      "config.json",
      "tokenizer.json",
      "tokenizer_config.json",
      "onnx/model.onnx",
      "onnx/model_quantized.onnx",
    ].map((path) => ({ path, url: `${KOKORO_HF}/${path}` })),
  },
  piper("en_US-lessac-medium", "en/en_US/lessac/medium", "Piper voice en_US lessac (medium, 22.05 kHz)"),
  whisper("tiny", "Whisper tiny (39M) in the transformers.js layout, fp32"),
  whisper("base", "Whisper base (74M) in the transformers.js layout, fp32"),
  whisper("small", "Whisper small (244M) in the transformers.js layout, fp32"),
  // The fp32 encoder is over protobuf's 2 GB limit, so its weights sit in an external data file.
  whisper("large-v3-turbo", "Whisper large-v3-turbo (809M) in the transformers.js layout, fp32", [
    "onnx/encoder_model.onnx_data",
  ]),
  {
    id: "whisper-tiny-random",
    description:
      "Test fixture: random-weight Whisper with the real multilingual tokenizer, plus golden outputs",
    license: "MIT (tokenizer from openai/whisper); random weights; jfk clip public domain",
    engine: "stt-whisper",
    fixture: true,
    files: fixtureFiles("whisper-tiny-random", [
      ["config.json", 2_360],
      ["generation_config.json", 3_622],
      ["preprocessor_config.json", 185_006],
      ["tokenizer.json", 3_930_462],
      ["tokenizer_config.json", 323],
      ["onnx/encoder_model.onnx", 907_129],
      ["onnx/decoder_model_merged.onnx", 13_991_858],
      ["jfk_16k.wav", 352_044],
      ["golden.json", 4_934],
    ]),
  },
  {
    id: "piper-vits-random",
    description: "Test fixture: random-weight VITS with Piper's exact ONNX interface, plus golden outputs",
    license: "MIT (Piper phoneme map); random weights",
    engine: "tts-piper",
    fixture: true,
    files: fixtureFiles("piper-vits-random", [
      ["model.onnx", 1_960_378],
      ["model.onnx.json", 7_137],
      ["golden.json", 1_368],
    ]),
  },
  {
    id: "kokoro-signature-random",
    description:
      "Test fixture: toy network with Kokoro's ONNX signature (not Kokoro); voices from the voices entry",
    license: "Apache-2.0 (Kokoro vocabulary); random weights",
    engine: "tts-kokoro",
    fixture: true,
    requires: ["kokoro-82m-v1.0-voices"],
    files: fixtureFiles("kokoro-signature-random", [
      ["config.json", 44],
      ["tokenizer.json", 3_625],
      ["tokenizer_config.json", 103],
      ["onnx/model.onnx", 34_168],
      ["golden.json", 727],
    ]),
  },
]);
