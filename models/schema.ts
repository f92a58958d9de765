/** zod shapes of the model manifest and of models.lock.json; both are parsed where they enter. */
import { z } from "zod";

export const MODEL_ENGINES = ["tts-kokoro", "tts-piper", "stt-whisper", "vad"] as const;

// A segment may not start with "." so ".", ".." and hidden files can never name a model file.
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** A path inside a model folder: plain segments joined by "/", never absolute, never "..". */
export const modelPathSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((value) => value.split("/").every((segment) => SEGMENT.test(segment)), {
    message: "must be a relative path of plain segments",
  });

export const modelIdSchema = z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, "must be lower-case kebab-case");

export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits");

export const modelFileSchema = z
  .object({
    path: modelPathSchema,
    url: z.url({ protocol: /^https?$/ }).optional(),
    bytes: z.number().int().nonnegative().optional(),
    mirrorPath: modelPathSchema.optional(),
  })
  .strict();

export const modelEntrySchema = z
  .object({
    id: modelIdSchema,
    description: z.string().min(1),
    license: z.string().min(1),
    engine: z.enum(MODEL_ENGINES),
    fixture: z.boolean().optional(),
    /** Other entries this model cannot run without (fetched with it). */
    requires: z.array(modelIdSchema).optional(),
    files: z.array(modelFileSchema).min(1),
  })
  .strict()
  .superRefine((entry, ctx) => {
    const seen = new Set<string>();
    entry.files.forEach((file, index) => {
      if (seen.has(file.path))
        ctx.addIssue({ code: "custom", path: ["files", index, "path"], message: "duplicate" });
      seen.add(file.path);
      if (entry.fixture && (file.url || !file.mirrorPath)) {
        ctx.addIssue({ code: "custom", path: ["files", index], message: "fixtures are mirror-only" });
      }
      if (!entry.fixture && !file.url) {
        ctx.addIssue({ code: "custom", path: ["files", index, "url"], message: "needs a public url" });
      }
    });
  });

export const manifestSchema = z.array(modelEntrySchema).superRefine((entries, ctx) => {
  const ids = new Set<string>();
  entries.forEach((entry, index) => {
    if (ids.has(entry.id)) ctx.addIssue({ code: "custom", path: [index, "id"], message: "duplicate id" });
    ids.add(entry.id);
  });
  entries.forEach((entry, index) => {
    for (const required of entry.requires ?? []) {
      if (!ids.has(required)) {
        ctx.addIssue({ code: "custom", path: [index, "requires"], message: `unknown id ${required}` });
      }
    }
  });
});

/** `sha256: null` means unpinned: nothing installs or loads it until `npm run models -- lock` pins it. */
export const lockedFileSchema = z
  .object({ sha256: sha256Schema.nullable(), bytes: z.number().int().nonnegative().nullable() })
  .strict();

export const lockFileSchema = z
  .object({
    version: z.literal(1),
    models: z.record(modelIdSchema, z.record(modelPathSchema, lockedFileSchema)),
  })
  .strict();

export type ModelEngine = (typeof MODEL_ENGINES)[number];
export type ModelFile = z.infer<typeof modelFileSchema>;
export type ModelEntry = z.infer<typeof modelEntrySchema>;
export type LockedFile = z.infer<typeof lockedFileSchema>;
export type ModelLock = z.infer<typeof lockFileSchema>;
