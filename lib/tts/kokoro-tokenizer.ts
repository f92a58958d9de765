/**
 * Phonemes → Kokoro input ids with the vocabulary from Kokoro's config.json: one id per code
 * point, symbols outside the vocabulary dropped (as the reference tokenizer does), and the pad id
 * 0 at both ends. Kokoro's positional table and its voices' style rows stop at 510 ids in all.
 */
import { z } from "zod";
import { LIMITS } from "@/lib/limits";

export const KOKORO_PAD_ID = 0;

export const kokoroConfigSchema = z.object({
  vocab: z.record(z.string().min(1), z.number().int().min(1).max(1023)),
});

export type KokoroVocab = ReadonlyMap<string, number>;

export function parseKokoroVocab(configJson: unknown): KokoroVocab {
  return new Map(Object.entries(kokoroConfigSchema.parse(configJson).vocab));
}

export class TooManyTokensError extends Error {
  constructor(
    readonly tokens: number,
    readonly max: number,
  ) {
    super(`Input needs ${tokens} tokens; the model takes at most ${max}`);
    this.name = "TooManyTokensError";
  }
}

export interface KokoroTokens {
  /** [pad, …ids, pad] as int64, ready for the `input_ids` tensor. */
  ids: BigInt64Array;
  /** Code points of the phoneme string that the vocabulary does not have. */
  dropped: number;
}

export function kokoroTokenize(
  phonemes: string,
  vocab: KokoroVocab,
  maxTokens: number = LIMITS.tts.KOKORO_MAX_TOKENS,
): KokoroTokens {
  const ids: bigint[] = [BigInt(KOKORO_PAD_ID)];
  let dropped = 0;
  for (const symbol of phonemes) {
    const id = vocab.get(symbol);
    if (id === undefined) dropped++;
    else ids.push(BigInt(id));
  }
  ids.push(BigInt(KOKORO_PAD_ID));
  if (ids.length > maxTokens) throw new TooManyTokensError(ids.length, maxTokens);
  return { ids: BigInt64Array.from(ids), dropped };
}
