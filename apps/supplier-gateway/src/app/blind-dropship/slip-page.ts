import { toWinAnsi } from './win-ansi';

/** US Letter with ¾-inch margins; the bottom 24 pt of the text area is kept for the footer. */
const WIDTH = 612;
const HEIGHT = 792;
const MARGIN = 54;
const FOOTER_HEIGHT = 24;

export const PAGE = {
  size: 'LETTER',
  margin: MARGIN,
  contentWidth: WIDTH - 2 * MARGIN,
  /** Lowest y body text may reach. */
  contentBottom: HEIGHT - MARGIN - FOOTER_HEIGHT,
  /** Top of the footer line: inside the margins, so writing it never makes pdfkit add a page. */
  footerY: HEIGHT - MARGIN - 10,
} as const;

/** PDF standard fonts: no font file to ship, WinAnsi text only (see `toWinAnsi`). */
export const REGULAR = 'Helvetica';
export const BOLD = 'Helvetica-Bold';
export const SMALL = 8;

/** The document being drawn, and how to go on to a new page (with the continuation header). */
export type Page = {
  readonly doc: PDFKit.PDFDocument;
  readonly continued: () => void;
};

/** Every string from outside goes through here before pdfkit sees it. */
export function printable(value: string): string {
  return toWinAnsi(value);
}
