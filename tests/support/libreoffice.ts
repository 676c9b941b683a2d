import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n") {
      rows.push([...row, field]);
      row = [];
      field = "";
    } else if (char !== "\r") field += char;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

/**
 * Opens each workbook in headless LibreOffice with recalculation on load forced on (its
 * default trusts the cached results of files Excel wrote, which would prove nothing) and
 * returns every sheet as CSV rows, values as the cells show them. UTF-8 (76) keeps the
 * Chinese; the last token, -1, writes one CSV per sheet.
 */
export async function recalculatedSheets(files: string[], dir: string): Promise<Map<string, string[][]>[]> {
  const profile = join(dir, "profile");
  mkdirSync(join(profile, "user"), { recursive: true });
  writeFileSync(
    join(profile, "user", "registrymodifications.xcu"),
    `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`,
  );
  const out = join(dir, "csv");
  await promisify(execFile)(
    "soffice",
    [`-env:UserInstallation=file://${profile}`, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1", "--outdir", out, ...files],
    { timeout: 60_000 },
  );
  return files.map((file) => {
    const base = file.slice(file.lastIndexOf("/") + 1).replace(/\.xlsx$/, "");
    const sheets = new Map<string, string[][]>();
    for (const name of readdirSync(out)) {
      if (name.startsWith(`${base}-`)) sheets.set(name.slice(base.length + 1, -".csv".length), parseCsv(readFileSync(join(out, name), "utf8")));
    }
    return sheets;
  });
}
