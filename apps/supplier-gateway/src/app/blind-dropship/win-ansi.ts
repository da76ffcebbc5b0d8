/**
 * The slip is set in the PDF standard font Helvetica, which needs no font file but can show only
 * the WinAnsi (Windows-1252) characters; pdfkit writes anything else as garbage bytes. Text from
 * outside (names, addresses) is folded into that set here, as close to the original as possible:
 * accents dropped where the letter has no precomposed WinAnsi form (ł → l, ő → o), compatibility
 * forms unfolded (the narrow no-break space some locales group digits with → space), and whatever
 * is left becomes "?". Latin-1 letters (é, ñ, ü, ß, ø) and € £ ¥ “ ” – — are kept as they are.
 */
export function toWinAnsi(text: string): string {
  let folded = '';
  // NFC first, so "e" + combining acute arrives as the one WinAnsi letter "é".
  for (const char of text.normalize('NFC')) folded += isWinAnsi(char) ? char : fold(char);
  return folded;
}

/** Whether `toWinAnsi` keeps every character of `text` recognisable (it turns none into "?"). */
export function foldsWithoutLoss(text: string): boolean {
  const questionMarks = (value: string): number => value.split('?').length - 1;
  return questionMarks(toWinAnsi(text)) === questionMarks(text);
}

/** The characters of Windows-1252 above Latin-1's printable range that are not in Latin-1 itself. */
const CP1252_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Letters with no decomposition to a base letter plus marks, and a WinAnsi stand-in. */
const STAND_INS: ReadonlyMap<string, string> = new Map([
  ['Ł', 'L'], ['ł', 'l'], ['Đ', 'D'], ['đ', 'd'], ['Ħ', 'H'], ['ħ', 'h'], ['ı', 'i'], ['Ŧ', 'T'], ['ŧ', 't'],
  ['Ŋ', 'N'], ['ŋ', 'n'], ['ĸ', 'k'], ['Ŀ', 'L'], ['ŀ', 'l'], ['ſ', 's'], ['Ə', 'E'], ['ə', 'e'],
]);

function isWinAnsi(char: string): boolean {
  const code = char.codePointAt(0)!;
  if (code === 0x09 || code === 0x0a) return true;
  if (code >= 0x20 && code <= 0x7e) return true;
  if (code >= 0xa0 && code <= 0xff) return true;
  return CP1252_EXTRAS.has(char);
}

function fold(char: string): string {
  const standIn = STAND_INS.get(char);
  if (standIn !== undefined) return standIn;
  // Invisible anyway: control characters, and marks NFC could not attach to a letter.
  if (/[\p{Cc}\p{M}]/u.test(char)) return '';
  const unmarked = char.normalize('NFKD').replace(/\p{M}/gu, '');
  return unmarked !== '' && [...unmarked].every(isWinAnsi) ? unmarked : '?';
}
