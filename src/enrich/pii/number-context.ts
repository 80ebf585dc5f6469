// Decides whether a run of digits is a standalone number (a card, a phone, an SSN) or a piece
// of something larger: a longer digit sequence, a decimal, an identifier, or an order number.

const WORD = /[\p{L}\p{N}_]/u;
const JOINER = /[-/.,:]/;

/** The number ends here: no letter or digit follows, nor a joiner (`-`, `/`, `.`, `,`, `:`) and then one. */
export function endsCleanly(text: string, end: number, allowSpaceThenDigit = false): boolean {
  const next = text[end];
  if (next === undefined) return true;
  if (WORD.test(next)) return false;
  const after = text[end + 1];
  if (after === undefined) return true;
  if (JOINER.test(next) && WORD.test(after)) return false;
  if (next === ' ' && /\d/.test(after) && !allowSpaceThenDigit) return false;
  return true;
}

// Labels that say the number after them is an identifier, not personal data. Kept to compound
// labels: a bare "number" or "no." precedes phone and card numbers too.
const ID_LABEL = new RegExp(
  String.raw`(?:^|[^\p{L}])(?:order|invoice|inv|ref|reference|ticket|tracking|case|sku|serial|part|confirmation|booking|reservation|transaction|shipment|parcel|po|bestellnummer|bestellung|auftrag|auftragsnummer|rechnung|rechnungsnummer|kundennummer|commande|facture|référence)` +
    String.raw`\.?(?: ?(?:number|no\.?|nr\.?|num|id|code|#))?(?: is)?[ :#=]*$`,
  'iu',
);

/** True when a label such as "Order #", "Ref:" or "Tracking number" directly precedes `start`. */
export function afterIdentifierLabel(text: string, start: number): boolean {
  // A short, fixed window keeps this constant-time per candidate.
  const before = text.slice(Math.max(0, start - 32), start).replace(/\s+/g, ' ');
  return ID_LABEL.test(before);
}
