/**
 * Text normalisation for speech: Unicode NFC, then English numbers, ordinals, dates, times,
 * currencies, percentages and common abbreviations written out as words, so the phonemizer and
 * the chunker see what will be said. Rules look at a few tokens around the current one, never
 * further, so the whole pass is linear in the input (see tokenize.ts).
 */
import { cardinalWords, digitsToWords, ordinalWords, pluralWords, yearWords } from "@/lib/text/number-words";
import { type Token, tokenize } from "@/lib/text/tokenize";

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const MONTH_NAMES = MONTHS.map((month) => month.charAt(0).toUpperCase() + month.slice(1));

/** Abbreviations spoken out when followed by a period; the period is consumed. */
const ABBREVIATIONS: Record<string, string> = {
  mr: "Mister",
  mrs: "Missus",
  ms: "Miz",
  prof: "Professor",
  jr: "Junior",
  sr: "Senior",
  vs: "versus",
  mt: "Mount",
  ave: "Avenue",
  blvd: "Boulevard",
  rd: "Road",
  gen: "General",
  gov: "Governor",
  sgt: "Sergeant",
  capt: "Captain",
  lt: "Lieutenant",
  col: "Colonel",
  approx: "approximately",
  dept: "department",
  est: "established",
  fig: "figure",
  jan: "January",
  feb: "February",
  mar: "March",
  apr: "April",
  jun: "June",
  jul: "July",
  aug: "August",
  sep: "September",
  sept: "September",
  oct: "October",
  nov: "November",
  dec: "December",
};

/** "etc." usually ends a sentence too, so its period stays. */
const KEEP_PERIOD: Record<string, string> = { etc: "et cetera" };

const CURRENCIES: Record<string, { one: string; many: string; centOne: string; centMany: string }> = {
  $: { one: "dollar", many: "dollars", centOne: "cent", centMany: "cents" },
  "€": { one: "euro", many: "euros", centOne: "cent", centMany: "cents" },
  "£": { one: "pound", many: "pounds", centOne: "penny", centMany: "pence" },
};

const YEAR_WORDS = new Set([
  "in",
  "since",
  "by",
  "until",
  "till",
  "from",
  "year",
  "circa",
  "before",
  "after",
]);
const SCALE_WORDS = new Set(["thousand", "million", "billion", "trillion"]);
const ORDINAL_SUFFIXES = new Set(["st", "nd", "rd", "th"]);

function isDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return text.length > 0;
}

function isCapitalized(token: Token | undefined): boolean {
  if (token?.kind !== "word") return false;
  const first = token.text.charAt(0);
  return first !== first.toLowerCase();
}

/** "1,234,567" → "1234567" when the groups are well formed, else undefined. */
function ungroup(text: string): string | undefined {
  const parts = text.split(",");
  const [head, ...rest] = parts;
  if (!head || head.length > 3 || !isDigits(head) || rest.length === 0) return undefined;
  for (const part of rest) if (part.length !== 3 || !isDigits(part)) return undefined;
  return parts.join("");
}

/** Integer or decimal amount: returns its integer and fraction digit strings. */
function parseAmount(text: string): { whole: string; fraction?: string } | undefined {
  const dot = text.indexOf(".");
  const wholeText = dot < 0 ? text : text.slice(0, dot);
  const fraction = dot < 0 ? undefined : text.slice(dot + 1);
  if (fraction !== undefined && !isDigits(fraction)) return undefined;
  const whole = isDigits(wholeText) ? wholeText : ungroup(wholeText);
  if (whole === undefined) return undefined;
  return fraction === undefined ? { whole } : { whole, fraction };
}

function amountWords(amount: { whole: string; fraction?: string }): string {
  const whole = cardinalWords(amount.whole);
  return amount.fraction === undefined ? whole : `${whole} point ${digitsToWords(amount.fraction)}`;
}

function timeWords(text: string): string | undefined {
  const parts = text.split(":");
  if (parts.length < 2 || parts.length > 3) return undefined;
  const [hours = "", minutes = "", seconds] = parts;
  if (hours.length > 2 || minutes.length !== 2 || (seconds !== undefined && seconds.length !== 2)) {
    return undefined;
  }
  const h = Number(hours);
  const m = Number(minutes);
  if (h > 24 || m > 59 || (seconds !== undefined && Number(seconds) > 59)) return undefined;
  let words = cardinalWords(hours);
  if (m === 0 && seconds === undefined) words += " o'clock";
  else if (m === 0) words += " hundred";
  else words += m < 10 ? ` oh ${cardinalWords(minutes)}` : ` ${cardinalWords(minutes)}`;
  if (seconds !== undefined && Number(seconds) > 0) words += ` and ${cardinalWords(seconds)} seconds`;
  return words;
}

function dateWords(month: number, day: number, year?: string): string | undefined {
  const name = MONTH_NAMES[month - 1];
  if (!name || day < 1 || day > 31) return undefined;
  const base = `${name} ${ordinalWords(String(day))}`;
  return year === undefined ? base : `${base}, ${yearWords(year)}`;
}

/** ISO 2024-03-15, US 03/15/2024; undefined when the shape or the values are not a date. */
function clusterDate(text: string): string | undefined {
  const iso = text.split("-");
  if (iso.length === 3 && iso[0]?.length === 4 && iso[1]?.length === 2 && iso[2]?.length === 2) {
    return dateWords(Number(iso[1]), Number(iso[2]), iso[0]);
  }
  const us = text.split("/");
  if (us.length === 3 && us.every((part) => part.length > 0 && part.length <= 4) && us[2]?.length === 4) {
    return dateWords(Number(us[0]), Number(us[1]), us[2]);
  }
  return undefined;
}

/** A numeric cluster with no context: number, decimal, time, date, else piece by piece. */
function clusterWords(text: string): string {
  if (isDigits(text)) return cardinalWords(text);
  const amount = parseAmount(text);
  if (amount) return amountWords(amount);
  const special = (text.includes(":") && timeWords(text)) || clusterDate(text);
  if (special) return special;
  const runs = text.split("-");
  if (runs.length > 1 && runs.every(isDigits)) {
    // 10-20 and 1990-2000 are ranges; 555-1234 and 1-800-555-0199 are read digit by digit.
    const [a = "", b = ""] = runs;
    const range = runs.length === 2 && (a.length === 4 ? b.length === 4 : a.length <= 2 && b.length <= 2);
    if (range)
      return a.length === 4
        ? `${yearWords(a)} to ${yearWords(b)}`
        : `${cardinalWords(a)} to ${cardinalWords(b)}`;
    return runs.map(digitsToWords).join(", ");
  }
  // Anything else (versions, ratios) is read run by run with its separators spoken.
  const out: string[] = [];
  let run = "";
  const flush = () => {
    if (run) out.push(cardinalWords(run));
    run = "";
  };
  for (const char of text) {
    if (char >= "0" && char <= "9") {
      run += char;
      continue;
    }
    flush();
    out.push(char === "." ? " point " : char === "/" ? " slash " : char === "-" ? " " : `${char} `);
  }
  flush();
  return out.join("");
}

function monthIndex(token: Token | undefined): number {
  if (token?.kind !== "word") return -1;
  return MONTHS.indexOf(token.text.toLowerCase());
}

class Normalizer {
  private readonly out: string[] = [];
  private k = 0;

  constructor(private readonly tokens: Token[]) {}

  private at(offset: number): Token | undefined {
    return this.tokens[this.k + offset];
  }

  private is(offset: number, kind: Token["kind"], text?: string): boolean {
    const token = this.at(offset);
    return token?.kind === kind && (text === undefined || token.text.toLowerCase() === text);
  }

  run(): string {
    while (this.k < this.tokens.length) {
      const token = this.tokens[this.k] as Token;
      const consumed =
        token.kind === "word"
          ? this.word(token)
          : token.kind === "number"
            ? this.number(token)
            : token.kind === "other"
              ? this.other(token)
              : 0;
      if (consumed === 0) {
        this.out.push(token.text);
        this.k++;
      } else this.k += consumed;
    }
    return this.out.join("");
  }

  /** Returns how many tokens it consumed (0 = none, the token is copied as is). */
  private word(token: Token): number {
    const lower = token.text.toLowerCase();
    const dotted = this.is(1, "other", ".");
    // e.g. / i.e. / a.m. / p.m. are four tokens: letter . letter .
    if (dotted && this.is(3, "other", ".")) {
      const pair = `${lower}.${this.at(2)?.text.toLowerCase()}`;
      const spoken = { "e.g": "for example", "i.e": "that is", "a.m": "a m", "p.m": "p m" }[pair];
      if (spoken && this.is(2, "word")) {
        this.out.push(spoken);
        // A clock suffix often ends the sentence, so its last period stays as punctuation.
        return pair.endsWith("m") ? 3 : 4;
      }
    }
    if (dotted && (lower === "dr" || lower === "st")) {
      // "Dr. Smith" / "St. John" name a person; "Elm St." / "Oak Dr." name a road.
      const beforeName = this.is(2, "space") && isCapitalized(this.at(3));
      const afterName = isCapitalized(this.at(-2)) && this.is(-1, "space");
      const person = beforeName || !afterName;
      this.out.push(lower === "dr" ? (person ? "Doctor" : "Drive") : beforeName ? "Saint" : "Street");
      return 2;
    }
    if (dotted && lower === "no" && this.is(2, "space") && this.is(3, "number")) {
      this.out.push("number");
      return 2;
    }
    const expansion = dotted ? ABBREVIATIONS[lower] : undefined;
    if (expansion) {
      this.out.push(expansion);
      return 2;
    }
    const kept = dotted ? KEEP_PERIOD[lower] : undefined;
    if (kept) {
      this.out.push(kept);
      return 1;
    }
    return this.monthDate(token);
  }

  /** "March 15, 2024" → "March fifteenth, twenty twenty-four"; "March 2024" → "March twenty twenty-four". */
  private monthDate(token: Token): number {
    const month = monthIndex(token);
    if (month < 0 || !this.is(1, "space") || !this.is(2, "number")) return 0;
    const digits = this.at(2)?.text ?? "";
    if (!isDigits(digits)) return 0;
    if (digits.length === 4) {
      this.out.push(token.text, " ", yearWords(digits));
      return 3;
    }
    const day = Number(digits);
    if (digits.length > 2 || day < 1 || day > 31) return 0;
    let used = 3;
    if (this.is(3, "word") && ORDINAL_SUFFIXES.has(this.at(3)?.text.toLowerCase() ?? "")) used = 4;
    this.out.push(token.text, " ", ordinalWords(digits));
    const year = this.at(used + 2)?.text ?? "";
    if (this.is(used, "other", ",") && this.is(used + 1, "space") && year.length === 4 && isDigits(year)) {
      this.out.push(", ", yearWords(year));
      used += 3;
    }
    return used;
  }

  private number(token: Token): number {
    const text = token.text;
    const next = this.at(1);
    const nextLower = next?.kind === "word" ? next.text.toLowerCase() : "";
    if (isDigits(text) && ORDINAL_SUFFIXES.has(nextLower)) {
      this.out.push(ordinalWords(text));
      return 2;
    }
    // Decades: 1990s → nineteen nineties, 80s → eighties.
    if (
      isDigits(text) &&
      nextLower === "s" &&
      text.endsWith("0") &&
      (text.length === 4 || text.length === 2)
    ) {
      this.out.push(pluralWords(text.length === 4 ? yearWords(text) : cardinalWords(text)));
      return 2;
    }
    if (this.is(1, "other", "%")) {
      this.out.push(clusterWords(text), " percent");
      return 2;
    }
    // "15 March" → "the fifteenth of March"
    if (isDigits(text) && text.length <= 2 && this.is(1, "space") && monthIndex(this.at(2)) >= 0) {
      const day = Number(text);
      if (day >= 1 && day <= 31) {
        this.out.push("the ", ordinalWords(text), " of");
        return 1;
      }
    }
    const words = this.isYearContext(text) ? yearWords(text) : clusterWords(text);
    const clock = this.clockSuffix(text);
    if (clock) {
      this.out.push(words, clock.words);
      return 1 + clock.used;
    }
    this.out.push(words);
    return 1;
  }

  /** "in 1999", "since 1905": a four-digit number after these words is a year. */
  private isYearContext(text: string): boolean {
    if (text.length !== 4 || !isDigits(text) || text < "1100" || text > "2099") return false;
    const previous = this.at(-2);
    return this.is(-1, "space") && previous?.kind === "word" && YEAR_WORDS.has(previous.text.toLowerCase());
  }

  /** "3pm", "3 pm", "10:30 a.m." → the number followed by " a m" / " p m". */
  private clockSuffix(text: string): { words: string; used: number } | undefined {
    const isHour = isDigits(text) ? Number(text) >= 1 && Number(text) <= 12 : text.includes(":");
    if (!isHour) return undefined;
    const offset = this.is(1, "space") ? 1 : 0;
    const word = this.at(1 + offset);
    const lower = word?.kind === "word" ? word.text.toLowerCase() : "";
    if (lower === "am" || lower === "pm") return { words: ` ${lower.charAt(0)} m`, used: 1 + offset };
    return undefined;
  }

  private other(token: Token): number {
    const currency = CURRENCIES[token.text];
    if (currency && this.is(1, "number")) return this.money(currency, this.at(1)?.text ?? "");
    if (token.text === "&") {
      this.out.push("and");
      return 1;
    }
    if (token.text === "#" && this.is(1, "number")) {
      this.out.push("number ");
      return 1;
    }
    const previous = this.at(-1);
    const startsTerm = !previous || previous.kind === "space" || "([{".includes(previous.text);
    if ((token.text === "-" || token.text === "−") && startsTerm && this.is(1, "number")) {
      this.out.push("minus ");
      return 1;
    }
    return 0;
  }

  /** "$5" → "five dollars", "$5.50" → "five dollars and fifty cents", "$2.5 million" → "two point five million dollars". */
  private money(currency: (typeof CURRENCIES)[string], text: string): number {
    const amount = parseAmount(text);
    if (!amount) return 0;
    const scale = this.is(2, "space") && this.at(3)?.kind === "word" ? this.at(3)?.text.toLowerCase() : "";
    if (scale && SCALE_WORDS.has(scale)) {
      this.out.push(amountWords(amount), " ", scale, " ", currency.many);
      return 4;
    }
    const whole = cardinalWords(amount.whole);
    const unit = whole === "one" ? currency.one : currency.many;
    if (amount.fraction === undefined) {
      this.out.push(whole, " ", unit);
      return 2;
    }
    if (amount.fraction.length !== 2) {
      this.out.push(amountWords(amount), " ", currency.many);
      return 2;
    }
    const cents = Number(amount.fraction);
    const centWords = cardinalWords(amount.fraction);
    const centUnit = cents === 1 ? currency.centOne : currency.centMany;
    if (Number(amount.whole) === 0) this.out.push(centWords, " ", centUnit);
    else if (cents === 0) this.out.push(whole, " ", unit);
    else this.out.push(whole, " ", unit, " and ", centWords, " ", centUnit);
    return 2;
  }
}

/** NFC, then English numbers, dates, times, money, percentages and abbreviations as words. */
export function normalizeText(text: string): string {
  return new Normalizer(tokenize(text.normalize("NFC"))).run();
}
