import { describe, expect, it } from "vitest";
import { normalizeText } from "@/lib/text/normalize";
import { cardinalWords, ordinalWords, yearWords } from "@/lib/text/number-words";

describe("number words", () => {
  it("spells cardinals, ordinals and years", () => {
    expect(cardinalWords("0")).toBe("zero");
    expect(cardinalWords("1234567")).toBe(
      "one million two hundred thirty-four thousand five hundred sixty-seven",
    );
    expect(cardinalWords("1000001")).toBe("one million one");
    expect(ordinalWords("1")).toBe("first");
    expect(ordinalWords("22")).toBe("twenty-second");
    expect(ordinalWords("40")).toBe("fortieth");
    expect(ordinalWords("112")).toBe("one hundred twelfth");
    expect(yearWords("1999")).toBe("nineteen ninety-nine");
    expect(yearWords("2005")).toBe("two thousand five");
    expect(yearWords("1905")).toBe("nineteen oh five");
    expect(yearWords("1900")).toBe("nineteen hundred");
  });

  it("reads numbers longer than the word limit digit by digit", () => {
    expect(cardinalWords("1234567890123456")).toBe(
      "one two three four five six seven eight nine zero one two three four five six",
    );
  });
});

describe("normalizeText", () => {
  const cases: [string, string][] = [
    ["I have 3 cats.", "I have three cats."],
    ["1,234 people", "one thousand two hundred thirty-four people"],
    ["Pi is 3.14.", "Pi is three point one four."],
    ["the 1st, 2nd, 3rd and 21st", "the first, second, third and twenty-first"],
    ["50% off", "fifty percent off"],
    ["$5.50", "five dollars and fifty cents"],
    ["$1", "one dollar"],
    ["$0.99", "ninety-nine cents"],
    ["€3 and £1.01", "three euros and one pound and one penny"],
    ["$2.5 million", "two point five million dollars"],
    ["at 3:30 pm", "at three thirty p m"],
    ["at 7:05", "at seven oh five"],
    ["at 9:00.", "at nine o'clock."],
    ["by 10 a.m. today", "by ten a m. today"],
    ["On March 15, 2024.", "On March fifteenth, twenty twenty-four."],
    ["15 March", "the fifteenth of March"],
    ["2024-03-15", "March fifteenth, twenty twenty-four"],
    ["03/15/2024", "March fifteenth, twenty twenty-four"],
    ["in 1999", "in nineteen ninety-nine"],
    ["the 1990s", "the nineteen nineties"],
    ["-5 degrees", "minus five degrees"],
    ["Dr. Smith met Mr. and Mrs. Jones.", "Doctor Smith met Mister and Missus Jones."],
    ["St. John lives on Elm St. now", "Saint John lives on Elm Street now"],
    ["apples, pears, etc.", "apples, pears, et cetera."],
    ["fruit, e.g. apples", "fruit, for example apples"],
    ["No. 5 and #1", "number five and number one"],
    ["call 555-1234", "call five five five, one two three four"],
    ["A & B", "A and B"],
  ];
  it.each(cases)("%s", (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it("composes to NFC", () => {
    expect(normalizeText("Cafe\u0301")).toBe("Café");
  });

  it("leaves text with nothing to expand unchanged", () => {
    const text = "Hello, world! (Really?) Yes:\n\n“quoted” — dash… ok";
    expect(normalizeText(text)).toBe(text);
  });
});
