/**
 * Piper's phoneme → id rules (piper-phonemize `phonemes_to_ids`): the voice's phoneme_id_map
 * read per code point after NFD (as piper decomposes), BOS "^", then each phoneme's ids followed
 * by the pad "_", then EOS "$". Symbols the map lacks are dropped and counted.
 */
import { z } from "zod";

export const piperVoiceConfigSchema = z.object({
  audio: z.object({ sample_rate: z.number().int().min(8_000).max(192_000) }),
  espeak: z.object({ voice: z.string().min(1).max(32) }),
  inference: z
    .object({
      noise_scale: z.number().min(0).max(10).default(0.667),
      length_scale: z.number().positive().max(10).default(1),
      noise_w: z.number().min(0).max(10).default(0.8),
    })
    .default({ noise_scale: 0.667, length_scale: 1, noise_w: 0.8 }),
  phoneme_type: z.string().default("espeak"),
  num_speakers: z.number().int().min(1).default(1),
  phoneme_id_map: z.record(z.string().min(1), z.array(z.number().int().min(0).max(65_535)).min(1)),
});
export type PiperVoiceConfig = z.infer<typeof piperVoiceConfigSchema>;

export const PIPER_BOS = "^";
export const PIPER_EOS = "$";
export const PIPER_PAD = "_";

export function piperPhonemeIds(
  phonemes: string,
  map: PiperVoiceConfig["phoneme_id_map"],
): { ids: number[]; dropped: number } {
  const lookup = (symbol: string) => (Object.hasOwn(map, symbol) ? map[symbol] : undefined);
  const bos = lookup(PIPER_BOS) ?? [];
  const eos = lookup(PIPER_EOS) ?? [];
  const pad = lookup(PIPER_PAD) ?? [];
  const ids = [...bos, ...pad];
  let dropped = 0;
  for (const symbol of phonemes.normalize("NFD")) {
    const symbolIds = lookup(symbol);
    if (!symbolIds) {
      dropped++;
      continue;
    }
    ids.push(...symbolIds, ...pad);
  }
  ids.push(...eos);
  return { ids, dropped };
}
