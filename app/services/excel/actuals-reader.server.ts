import { buffer } from "node:stream/consumers";
import ExcelJS from "exceljs";
import yauzl, { type Entry } from "yauzl";
import yazl from "yazl";
import { ACTUALS_COLUMNS, ACTUALS_SHEET_NAME } from "~/domain/actuals-sheet";
import { MAX_IMPORT_FILE_BYTES, MAX_IMPORT_UNZIPPED_BYTES, type ImportSheet, type SheetRow } from "~/domain/actuals-import";

/**
 * The actuals import (实际支出导入): an uploaded workbook is untrusted until proven small
 * and genuine. Order matters: size, zip signature, central directory (entry count,
 * declared sizes, ratios, the entries every .xlsx has), then inflation under a running
 * cap. exceljs only ever sees a zip rebuilt from bytes this module has already inflated,
 * so no size a header declares can make it allocate more than the cap.
 */

/** An exported plan workbook has about 20 entries. */
export const MAX_ZIP_ENTRIES = 200;
/** XML deflates about 10:1; 200:1 over a large entry is padding made to inflate (a zip bomb). */
const MAX_RATIO = 200;
const RATIO_CHECK_FROM_BYTES = 1024 * 1024;

export type FileRefusalCode = "fileTooLarge" | "notXlsx" | "unzippedTooLarge" | "tooManyEntries" | "suspiciousCompression" | "damaged";

export interface FileRefusal {
  status: 413 | 422;
  code: FileRefusalCode;
}

const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const REQUIRED_ENTRIES = ["[Content_Types].xml", "xl/workbook.xml"];
/** The rebuilt zip's entries all carry one fixed date, so the same upload rebuilds to the same bytes. */
const ZIP_MTIME = new Date(1980, 0, 1);

type Unzipped = { ok: true; entries: Map<string, Buffer> } | { ok: false; refusal: FileRefusal };

function refuse(code: FileRefusalCode, status: 413 | 422 = 422): { ok: false; refusal: FileRefusal } {
  return { ok: false, refusal: { status, code } };
}

/** Reads every entry of an .xlsx under the caps, or says why the file is refused. */
export async function unzipWorkbook(bytes: Buffer): Promise<Unzipped> {
  if (bytes.length > MAX_IMPORT_FILE_BYTES) return refuse("fileTooLarge", 413);
  // A CSV, an old .xls or any renamed file fails here, before a zip reader sees it.
  if (bytes.length < ZIP_SIGNATURE.length || !bytes.subarray(0, ZIP_SIGNATURE.length).equals(ZIP_SIGNATURE)) return refuse("notXlsx");

  let zip: yauzl.ZipFile;
  try {
    // validateEntrySizes: inflating past an entry's declared size is an error, so declared sizes bound the real ones.
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false });
  } catch {
    return refuse("notXlsx");
  }
  if (zip.entryCount > MAX_ZIP_ENTRIES) return refuse("tooManyEntries");

  const files: Entry[] = [];
  let declared = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith("/")) continue;
      if (entry.isEncrypted()) return refuse("notXlsx");
      declared += entry.uncompressedSize;
      if (declared > MAX_IMPORT_UNZIPPED_BYTES) return refuse("unzippedTooLarge");
      if (entry.uncompressedSize > RATIO_CHECK_FROM_BYTES && entry.uncompressedSize > entry.compressedSize * MAX_RATIO) return refuse("suspiciousCompression");
      files.push(entry);
    }
  } catch {
    return refuse("damaged");
  }
  const names = new Set(files.map((entry) => entry.fileName));
  // A .docx or .pptx is a zip too; only a spreadsheet has a workbook part.
  if (!REQUIRED_ENTRIES.every((name) => names.has(name))) return refuse("notXlsx");

  const entries = new Map<string, Buffer>();
  let inflated = 0;
  for (const entry of files) {
    const chunks: Buffer[] = [];
    try {
      const stream = await zip.openReadStreamPromise(entry);
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        if (inflated > MAX_IMPORT_UNZIPPED_BYTES) {
          stream.destroy();
          return refuse("unzippedTooLarge");
        }
        chunks.push(chunk);
      }
    } catch {
      return refuse("damaged");
    }
    entries.set(entry.fileName, Buffer.concat(chunks));
  }
  return { ok: true, entries };
}

/**
 * A zip of stored (uncompressed) entries: what exceljs gets instead of the upload, so it
 * reads exactly the bytes already inflated and counted.
 */
async function storedZip(entries: ReadonlyMap<string, Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) {
    // yauzl lets an empty name through, yazl refuses one; no part exceljs reads has it.
    if (name === "") continue;
    zip.addBuffer(data, name, { compress: false, mtime: ZIP_MTIME, forceDosTimestamp: true });
  }
  zip.end();
  return buffer(zip.outputStream);
}

/** The 实际录入 sheet's rows as exceljs reads them, or null rows when the workbook has no such sheet. */
export async function readActualsSheet(entries: ReadonlyMap<string, Buffer>): Promise<ImportSheet> {
  const workbook = new ExcelJS.Workbook();
  const zip = await storedZip(entries);
  // exceljs types its input as an ArrayBuffer; a copy into a fresh one holds exactly the zip's bytes.
  await workbook.xlsx.load(new Uint8Array(zip).buffer);
  const sheet = workbook.getWorksheet(ACTUALS_SHEET_NAME);
  if (!sheet) return { rows: null };
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    rows.push({ number: row.number, cells: ACTUALS_COLUMNS.map((_, index) => row.getCell(index + 1).value) });
  });
  return { rows };
}
