import PDFDocument from 'pdfkit';
import type { BlindSlip } from './blind-slip';
import { drawInvoiceRows, drawLines } from './slip-table';
import { BOLD, type Page, PAGE, printable, REGULAR, SMALL } from './slip-page';

/**
 * The slip as a PDF: the retailer's logo, name and the title, order and PO numbers and date, ship
 * from (the retailer at its return address) and ship to, the lines (prices only with an invoice),
 * the invoice rows, the retailer's message, and on every page a footer with the page count.
 *
 * The same slip always gives the same bytes: pdfkit derives the file id from the document info,
 * whose dates are the PO's issue date, and writes nothing else that varies. The info names only the
 * retailer, also as Producer and Creator, which would otherwise say "PDFKit".
 */
export function renderSlipPdf(slip: BlindSlip): Promise<Buffer> {
  const doc = new PDFDocument({
    size: PAGE.size,
    margin: PAGE.margin,
    bufferPages: true,
    info: {
      Title: `Packing slip - order ${slip.orderNumber}`,
      Subject: `Order ${slip.orderNumber}`,
      Author: slip.retailer.name,
      Creator: slip.retailer.name,
      Producer: slip.retailer.name,
      CreationDate: slip.issuedAt,
      ModDate: slip.issuedAt,
    },
  });
  const done = collect(doc);
  const page: Page = {
    doc,
    continued: () => {
      doc.addPage();
      drawContinuationHeader(page, slip);
    },
  };
  drawFirstPageHeader(page, slip);
  drawLines(page, slip);
  if (slip.invoice !== undefined) drawInvoiceRows(page, slip.invoice.rows);
  if (slip.retailer.message !== undefined) drawMessage(page, slip.retailer.message);
  drawFooters(page, slip);
  doc.end();
  return done;
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

const LOGO = { width: 160, height: 60 } as const;

function drawFirstPageHeader({ doc }: Page, slip: BlindSlip): void {
  const left = PAGE.margin;
  const top = PAGE.margin;
  let y = top;
  if (slip.retailer.logoPng !== undefined) {
    doc.image(Buffer.from(slip.retailer.logoPng), left, y, { fit: [LOGO.width, LOGO.height] });
    y += LOGO.height + 6;
  }
  doc.font(BOLD).fontSize(16).text(printable(slip.retailer.name), left, y, { width: PAGE.contentWidth / 2 });
  const leftBottom = doc.y;

  const right = { x: PAGE.margin + PAGE.contentWidth / 2, width: PAGE.contentWidth / 2 };
  doc.font(BOLD).fontSize(18).text('PACKING SLIP', right.x, top, { width: right.width, align: 'right' });
  doc.font(REGULAR).fontSize(10);
  for (const line of [`Order ${slip.orderNumber}`, `Date ${slip.issuedOn}`, `PO ${slip.poNumber}`]) {
    doc.text(printable(line), right.x, doc.y + 2, { width: right.width, align: 'right' });
  }

  const blocksTop = Math.max(leftBottom, doc.y) + 18;
  const column = (PAGE.contentWidth - 24) / 2;
  const fromBottom = drawAddressBlock(doc, 'Ship from', [slip.retailer.name, ...slip.retailer.returnAddress], left, blocksTop, column);
  const toBottom = drawAddressBlock(doc, 'Ship to', [slip.shipTo.name, ...slip.shipTo.address], left + column + 24, blocksTop, column);
  doc.y = Math.max(fromBottom, toBottom) + 18;
}

function drawAddressBlock(doc: PDFKit.PDFDocument, heading: string, lines: readonly string[], x: number, y: number, width: number): number {
  doc.font(BOLD).fontSize(SMALL).fillColor('#555555').text(heading.toUpperCase(), x, y, { width });
  doc.font(REGULAR).fontSize(11).fillColor('black');
  for (const line of lines) doc.text(printable(line), x, doc.y + 1, { width });
  return doc.y;
}

function drawContinuationHeader({ doc }: Page, slip: BlindSlip): void {
  doc
    .font(BOLD)
    .fontSize(11)
    .text(printable(`${slip.retailer.name} - packing slip for order ${slip.orderNumber} (continued)`), PAGE.margin, PAGE.margin, {
      width: PAGE.contentWidth,
    });
  doc.y += 12;
}

function drawMessage(page: Page, message: string): void {
  const { doc } = page;
  doc.font('Helvetica-Oblique').fontSize(11);
  const height = doc.heightOfString(printable(message), { width: PAGE.contentWidth });
  if (doc.y + 18 + height > PAGE.contentBottom) page.continued();
  doc.text(printable(message), PAGE.margin, doc.y + 18, { width: PAGE.contentWidth, align: 'center' });
}

/** Written last, once the page count is known; inside the margins, so pdfkit never breaks a page for it. */
function drawFooters({ doc }: Page, slip: BlindSlip): void {
  const { start, count } = doc.bufferedPageRange();
  for (let index = start; index < start + count; index++) {
    doc.switchToPage(index);
    const footer = `${slip.retailer.name} - order ${slip.orderNumber} - page ${index - start + 1} of ${count}`;
    doc
      .font(REGULAR)
      .fontSize(SMALL)
      .fillColor('#555555')
      .text(printable(footer), PAGE.margin, PAGE.footerY, { width: PAGE.contentWidth, align: 'center', lineBreak: false });
  }
  doc.fillColor('black');
}
