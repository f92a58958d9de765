/**
 * Input checks for text to be spoken, run before any model is touched. Isomorphic: the browser,
 * the Next handler and the backend run this same code, so a text the studio accepts is never
 * refused later. One linear pass over code points; positions are code-point indexes (what a
 * person counts), characters are named as U+XXXX so an invisible one can be found.
 */
import type { ErrorIssue } from "@/lib/errors";
import { LIMITS } from "@/lib/limits";

export const TEXT_TIERS = ["preview", "free", "pro"] as const;
export type TextTier = (typeof TEXT_TIERS)[number];

/** "en": Latin script for English voices; "any": every script (the basic espeak voices). */
export const TEXT_LANGUAGES = ["en", "any"] as const;
export type TextLanguage = (typeof TEXT_LANGUAGES)[number];

export type TextIssueCode =
  | "empty"
  | "too_long"
  | "control_character"
  | "unpaired_surrogate"
  | "bidi_override"
  | "zero_width_run"
  | "disallowed_character";

export interface TextIssue {
  code: TextIssueCode;
  /** Code-point index of the offending character (0 for whole-text issues). */
  position: number;
  /** The character as U+XXXX, when the issue is about one character. */
  character?: string;
  message: string;
}

export type TextCheck = { ok: true; length: number } | { ok: false; issues: TextIssue[] };

export interface ValidateTextOptions {
  tier?: TextTier;
  language?: TextLanguage;
}

export function maxCharsForTier(tier: TextTier): number {
  const { PREVIEW_MAX_CHARS, FREE_MAX_CHARS, PRO_MAX_CHARS } = LIMITS.tts;
  return tier === "preview" ? PREVIEW_MAX_CHARS : tier === "pro" ? PRO_MAX_CHARS : FREE_MAX_CHARS;
}

export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}

function isControl(cp: number): boolean {
  // Tab, line feed and carriage return are layout, not control; everything else in C0/C1 and DEL is.
  if (cp === 0x09 || cp === 0x0a || cp === 0x0d) return false;
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

function isBidiOverride(cp: number): boolean {
  return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/** Invisible characters that can hide content or split words for a filter (incl. LRM/RLM marks). */
function isZeroWidth(cp: number): boolean {
  return (cp >= 0x200b && cp <= 0x200f) || cp === 0x2060 || cp === 0xfeff || cp === 0x00ad || cp === 0x180e;
}

const SPACE_OR_MARK = /^[\p{Zs}\p{M}]$/u;
const LATIN_OR_MARK = /^[\p{Script=Latin}\p{M}]$/u;
const PUNCTUATION_OR_COMMON_SYMBOL = /^[\p{P}\p{Sc}\p{Sm}\p{Sk}©®™°§¶№℗]$/u;
const ANY_SCRIPT = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u;

/** The allowed-characters policy per language (checked one character at a time: linear). */
const ALLOWED: Record<TextLanguage, (char: string, cp: number) => boolean> = {
  en: (char, cp) =>
    (cp >= 0x30 && cp <= 0x39) ||
    cp === 0x20 ||
    cp === 0x09 ||
    cp === 0x0a ||
    cp === 0x0d ||
    (cp > 0x7f && /^\p{Zs}$/u.test(char)) ||
    LATIN_OR_MARK.test(char) ||
    PUNCTUATION_OR_COMMON_SYMBOL.test(char),
  any: (char, cp) => cp === 0x09 || cp === 0x0a || cp === 0x0d || ANY_SCRIPT.test(char),
};

function describe(code: TextIssueCode, label: string, position: number): string {
  const where = `at position ${position}`;
  switch (code) {
    case "control_character":
      return `Control character ${label} ${where} is not allowed`;
    case "unpaired_surrogate":
      return `Unpaired surrogate ${label} ${where} is not valid text`;
    case "bidi_override":
      return `Bidirectional override ${label} ${where} is not allowed`;
    case "zero_width_run":
      return `Run of zero-width characters starting with ${label} ${where} is not allowed`;
    default:
      return `Character ${label} ${where} is not supported for this language`;
  }
}

/**
 * Checks a text for speech. Returns every issue up to LIMITS.tts.MAX_TEXT_ISSUES (so a person can
 * fix several at once), never more, so a hostile input cannot produce a huge response.
 */
export function validateText(text: string, options: ValidateTextOptions = {}): TextCheck {
  const max = maxCharsForTier(options.tier ?? "free");
  const allowed = ALLOWED[options.language ?? "en"];
  // Every code point is at most two UTF-16 units, so this refuses a giant string without scanning it.
  if (text.length > max * 2) return tooLong(max);

  const issues: TextIssue[] = [];
  const add = (code: TextIssueCode, position: number, cp: number) => {
    const character = codePointLabel(cp);
    issues.push({ code, position, character, message: describe(code, character, position) });
  };

  let position = 0;
  let zeroWidthRun = 0;
  let visible = 0;
  for (let i = 0; i < text.length && issues.length < LIMITS.tts.MAX_TEXT_ISSUES; i++, position++) {
    const unit = text.charCodeAt(i);
    let cp = unit;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        cp = (unit - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000;
        i++;
      } else {
        add("unpaired_surrogate", position, unit);
        continue;
      }
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      add("unpaired_surrogate", position, unit);
      continue;
    }

    if (isZeroWidth(cp)) {
      zeroWidthRun++;
      // Report a run once, at the character that made it too long.
      if (zeroWidthRun === LIMITS.tts.ZERO_WIDTH_MAX_RUN + 1) add("zero_width_run", position, cp);
      continue;
    }
    zeroWidthRun = 0;
    if (isControl(cp)) add("control_character", position, cp);
    else if (isBidiOverride(cp)) add("bidi_override", position, cp);
    else {
      const char = String.fromCodePoint(cp);
      if (!allowed(char, cp)) add("disallowed_character", position, cp);
      else if (cp > 0x20 && !SPACE_OR_MARK.test(char)) visible++;
    }
  }

  if (issues.length === 0 && position > max) return tooLong(max);
  if (issues.length === 0 && visible === 0) {
    return {
      ok: false,
      issues: [{ code: "empty", position: 0, message: "Text to speak must not be empty" }],
    };
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, length: position };
}

function tooLong(max: number): TextCheck {
  return {
    ok: false,
    issues: [{ code: "too_long", position: max, message: `Text is longer than ${max} characters` }],
  };
}

/** The wire shape for a 400: every issue names the `input` field (the OpenAI API's name for it). */
export function textIssuesToErrorIssues(issues: readonly TextIssue[], field = "input"): ErrorIssue[] {
  return issues.map((issue) => ({ path: field, message: issue.message }));
}
