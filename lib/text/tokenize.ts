/**
 * One left-to-right pass that cuts text into words, numeric clusters, whitespace runs and single
 * other characters. Each character is looked at a bounded number of times, so the normaliser
 * built on it is linear whatever the input (no regex runs over unbounded text).
 */

export type TokenKind = "word" | "number" | "space" | "other";

export interface Token {
  kind: TokenKind;
  text: string;
}

/** Separators that stay inside a numeric cluster when a digit follows: 1,234.5 · 3:30 · 2024-03-15 · 3/4. */
const NUMBER_SEPARATORS = new Set([",", ".", ":", "/", "-"]);
const LETTER_OR_MARK = /^[\p{L}\p{M}]$/u;
const WHITESPACE = /^\s$/u;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetter(char: string, code: number): boolean {
  if (code < 0x80) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return LETTER_OR_MARK.test(char);
}

function isSpace(char: string, code: number): boolean {
  if (code < 0x80) return code === 32 || (code >= 9 && code <= 13);
  return WHITESPACE.test(char);
}

function charAt(text: string, index: number): string {
  const code = text.codePointAt(index) ?? 0;
  return code > 0xffff ? text.slice(index, index + 2) : text.charAt(index);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    const code = text.charCodeAt(i);
    if (isDigit(code)) {
      i++;
      while (i < text.length) {
        if (isDigit(text.charCodeAt(i))) i++;
        else if (NUMBER_SEPARATORS.has(text.charAt(i)) && isDigit(text.charCodeAt(i + 1))) i += 2;
        else break;
      }
      tokens.push({ kind: "number", text: text.slice(start, i) });
      continue;
    }
    const first = charAt(text, i);
    const kind: TokenKind = isLetter(first, code) ? "word" : isSpace(first, code) ? "space" : "other";
    i += first.length;
    if (kind !== "other") {
      while (i < text.length) {
        const next = charAt(text, i);
        const nextCode = next.codePointAt(0) ?? 0;
        if (kind === "word" ? !isLetter(next, nextCode) : !isSpace(next, nextCode)) break;
        i += next.length;
      }
    }
    tokens.push({ kind, text: text.slice(start, i) });
  }
  return tokens;
}
