/**
 * English number words. Every function takes a string of ASCII digits (never a JS number, so
 * nothing is rounded) and runs in time linear in its length.
 */
import { LIMITS } from "@/lib/limits";

const ONES = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
];
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const SCALES = ["", "thousand", "million", "billion", "trillion"];

const ORDINAL_EXCEPTIONS: Record<string, string> = {
  one: "first",
  two: "second",
  three: "third",
  five: "fifth",
  eight: "eighth",
  nine: "ninth",
  twelve: "twelfth",
};

function digitAt(digits: string, index: number): number {
  return digits.charCodeAt(index) - 48;
}

function underHundred(n: number): string {
  if (n < 20) return ONES[n] ?? "";
  const tens = TENS[Math.floor(n / 10)] ?? "";
  return n % 10 === 0 ? tens : `${tens}-${ONES[n % 10]}`;
}

function underThousand(n: number): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds === 0) return underHundred(rest);
  return rest === 0 ? `${ONES[hundreds]} hundred` : `${ONES[hundreds]} hundred ${underHundred(rest)}`;
}

/** Each digit as a word: "007" → "zero zero seven". */
export function digitsToWords(digits: string): string {
  const words: string[] = [];
  for (let i = 0; i < digits.length; i++) words.push(ONES[digitAt(digits, i)] ?? "");
  return words.join(" ");
}

/**
 * A cardinal: "1234" → "one thousand two hundred thirty-four". Longer than
 * NUMBER_MAX_WORD_DIGITS digits (after leading zeros) is read digit by digit.
 */
export function cardinalWords(digits: string): string {
  let start = 0;
  while (start < digits.length - 1 && digits.charCodeAt(start) === 48) start++;
  const trimmed = digits.slice(start);
  if (trimmed.length > LIMITS.tts.NUMBER_MAX_WORD_DIGITS) return digitsToWords(digits);
  if (trimmed === "0") return "zero";
  const groups: string[] = [];
  for (let end = trimmed.length, scale = 0; end > 0; end -= 3, scale++) {
    const value = Number(trimmed.slice(Math.max(0, end - 3), end));
    if (value === 0) continue;
    const scaleWord = SCALES[scale] ?? "";
    groups.unshift(scaleWord ? `${underThousand(value)} ${scaleWord}` : underThousand(value));
  }
  return groups.join(" ");
}

/** An ordinal: "21" → "twenty-first". */
export function ordinalWords(digits: string): string {
  const cardinal = cardinalWords(digits);
  const cut = Math.max(cardinal.lastIndexOf(" "), cardinal.lastIndexOf("-")) + 1;
  const last = cardinal.slice(cut);
  const head = cardinal.slice(0, cut);
  const exception = ORDINAL_EXCEPTIONS[last];
  if (exception) return head + exception;
  if (last.endsWith("y")) return `${head}${last.slice(0, -1)}ieth`;
  return `${head}${last}th`;
}

/** A year: "1999" → "nineteen ninety-nine", "2005" → "two thousand five", "2024" → "twenty twenty-four". */
export function yearWords(digits: string): string {
  const n = Number(digits);
  if (digits.length !== 4 || n < 1000) return cardinalWords(digits);
  const high = Math.floor(n / 100);
  const low = n % 100;
  if (n >= 2000 && n < 2010) return cardinalWords(digits);
  if (low === 0) return n % 1000 === 0 ? cardinalWords(digits) : `${underHundred(high)} hundred`;
  return low < 10 ? `${underHundred(high)} oh ${ONES[low]}` : `${underHundred(high)} ${underHundred(low)}`;
}

/** Plural of a year or decade word: "nineteen ninety" → "nineteen nineties". */
export function pluralWords(words: string): string {
  return words.endsWith("y") ? `${words.slice(0, -1)}ies` : `${words}s`;
}
