import type { BlindSlip, BlindSlipLine } from './blind-slip';
import { BOLD, type Page, PAGE, printable, REGULAR, SMALL } from './slip-page';

type Column = {
  readonly heading: string;
  readonly width: number;
  readonly align: 'left' | 'right';
  readonly cell: (line: BlindSlipLine) => string;
};

/** Widths add up to the content width (504 pt); the item name takes what the others leave. */
const SKU: Column = { heading: 'SKU', width: 110, align: 'left', cell: (line) => line.sku };
const QTY: Column = { heading: 'Qty', width: 40, align: 'right', cell: (line) => line.quantity };
const UNIT: Column = { heading: 'Unit price', width: 75, align: 'right', cell: (line) => line.unitPrice ?? '' };
const TOTAL: Column = { heading: 'Total', width: 85, align: 'right', cell: (line) => line.lineTotal ?? '' };
const item = (width: number): Column => ({ heading: 'Item', width, align: 'left', cell: (line) => line.name });

const PACKING_COLUMNS = [SKU, item(PAGE.contentWidth - SKU.width - QTY.width), QTY];
const INVOICE_COLUMNS = [SKU, item(PAGE.contentWidth - SKU.width - QTY.width - UNIT.width - TOTAL.width), QTY, UNIT, TOTAL];

const FONT_SIZE = 10;
const CELL_PADDING = 4;
const ROW_GAP = 6;

/**
 * The lines as a table, prices only when the slip has an invoice. A row goes whole onto the next
 * page when it does not fit (long names wrap inside their cell), and every page repeats the
 * column headings.
 */
export function drawLines(page: Page, slip: BlindSlip): void {
  const columns = slip.invoice === undefined ? PACKING_COLUMNS : INVOICE_COLUMNS;
  drawHeadings(page, columns);
  for (const line of slip.lines) {
    const height = rowHeight(page.doc, columns, line);
    if (page.doc.y + height > PAGE.contentBottom) {
      page.continued();
      drawHeadings(page, columns);
    }
    drawRow(page.doc, columns, line, height);
  }
}

/** Subtotal, adjustments and total, right-aligned under the price columns, kept together on one page. */
export function drawInvoiceRows(page: Page, rows: readonly { readonly label: string; readonly amount: string }[]): void {
  const { doc } = page;
  const rowHeight = FONT_SIZE + ROW_GAP;
  if (doc.y + 8 + rows.length * rowHeight > PAGE.contentBottom) page.continued();
  const amountX = PAGE.margin + PAGE.contentWidth - TOTAL.width;
  const labelWidth = 200;
  let y = doc.y + 8;
  rows.forEach((row, index) => {
    const last = index === rows.length - 1;
    doc.font(last ? BOLD : REGULAR).fontSize(FONT_SIZE);
    doc.text(printable(row.label), amountX - labelWidth - CELL_PADDING, y, { width: labelWidth, align: 'right' });
    doc.text(printable(row.amount), amountX, y, { width: TOTAL.width, align: 'right' });
    y += rowHeight;
  });
  doc.y = y;
}

function drawHeadings({ doc }: Page, columns: readonly Column[]): void {
  const y = doc.y;
  doc.font(BOLD).fontSize(SMALL).fillColor('#555555');
  let x = PAGE.margin;
  for (const column of columns) {
    doc.text(column.heading.toUpperCase(), x + CELL_PADDING, y, { width: column.width - 2 * CELL_PADDING, align: column.align });
    x += column.width;
  }
  const bottom = y + SMALL + 4;
  doc.moveTo(PAGE.margin, bottom).lineTo(PAGE.margin + PAGE.contentWidth, bottom).lineWidth(0.5).strokeColor('#999999').stroke();
  doc.fillColor('black');
  doc.y = bottom + ROW_GAP;
}

function rowHeight(doc: PDFKit.PDFDocument, columns: readonly Column[], line: BlindSlipLine): number {
  doc.font(REGULAR).fontSize(FONT_SIZE);
  const heights = columns.map((column) => doc.heightOfString(printable(column.cell(line)) || ' ', { width: column.width - 2 * CELL_PADDING }));
  return Math.max(...heights) + ROW_GAP;
}

function drawRow(doc: PDFKit.PDFDocument, columns: readonly Column[], line: BlindSlipLine, height: number): void {
  const y = doc.y;
  doc.font(REGULAR).fontSize(FONT_SIZE);
  let x = PAGE.margin;
  for (const column of columns) {
    const value = printable(column.cell(line));
    if (value !== '') doc.text(value, x + CELL_PADDING, y, { width: column.width - 2 * CELL_PADDING, align: column.align });
    x += column.width;
  }
  doc.y = y + height;
}
