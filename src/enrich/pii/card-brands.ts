// Issuer identification number (IIN) ranges and lengths of the card networks in wide use.
// A Luhn-valid number outside these ranges (gift cards, IMEIs, ISBNs) is not reported.

interface Brand {
  name: string;
  /** Inclusive prefix ranges; both ends have the same number of digits. */
  prefixes: Array<[string, string]>;
  lengths: number[];
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const BRANDS: Brand[] = [
  { name: 'visa', prefixes: [['4', '4']], lengths: [13, 16, 19] },
  { name: 'mastercard', prefixes: [['51', '55'], ['2221', '2720']], lengths: [16] },
  { name: 'amex', prefixes: [['34', '34'], ['37', '37']], lengths: [15] },
  { name: 'discover', prefixes: [['6011', '6011'], ['644', '649'], ['65', '65']], lengths: range(16, 19) },
  { name: 'jcb', prefixes: [['3528', '3589']], lengths: range(16, 19) },
  { name: 'diners', prefixes: [['300', '305'], ['36', '36'], ['38', '39']], lengths: range(14, 19) },
  { name: 'unionpay', prefixes: [['62', '62']], lengths: range(16, 19) },
  { name: 'maestro', prefixes: [['50', '50'], ['56', '58']], lengths: range(13, 19) },
  { name: 'mir', prefixes: [['2200', '2204']], lengths: range(16, 19) },
];

/** The network a card number belongs to by prefix and length, if any. */
export function cardBrand(digits: string): string | undefined {
  for (const brand of BRANDS) {
    if (!brand.lengths.includes(digits.length)) continue;
    for (const [from, to] of brand.prefixes) {
      const prefix = digits.slice(0, from.length);
      if (prefix >= from && prefix <= to) return brand.name;
    }
  }
  return undefined;
}
