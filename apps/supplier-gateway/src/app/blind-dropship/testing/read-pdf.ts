import { PDFParse } from 'pdf-parse';

/** What a reader gets back from a PDF: its text (all pages and per page) and its document info. */
export type PdfReading = {
  readonly text: string;
  readonly pages: readonly string[];
  readonly info: Readonly<Record<string, unknown>>;
};

/** Reads `pdf` back with pdf-parse (PDF.js underneath), as an independent check of what was written. */
export async function readPdf(pdf: Uint8Array): Promise<PdfReading> {
  // pdf-parse hands the buffer to a worker, which detaches it: give it a copy.
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const text = await parser.getText();
    const info: unknown = (await parser.getInfo()).info;
    return {
      text: text.text,
      pages: text.pages.map((page) => page.text),
      info: typeof info === 'object' && info !== null ? (info as Record<string, unknown>) : {},
    };
  } finally {
    await parser.destroy();
  }
}

/** `text` with every run of white space made one space, so wrapped lines read as one. */
export function flattened(text: string): string {
  return text.replace(/\s+/g, ' ');
}
