import { PassThrough, type Readable } from 'node:stream';
import JSZip from 'jszip';
import yauzl from 'yauzl';

/**
 * An uploaded .xlsx opened without trusting it. An xlsx is a zip, and the
 * upload limit (5 MB) is on the compressed bytes: a sheet of repeated XML
 * deflates about 1,000 to 1, so 1.5 MB can hold 1.5 GB. So, before anything
 * is inflated, the zip's central directory (read by yauzl, which follows the
 * spec and never scans for local headers) must declare no part over
 * `maxPartBytes` and no more than `maxTotalBytes` in all; then the parts
 * exceljs reads are inflated with their real size counted as they stream,
 * stopped the moment a part outgrows what it declared (a lying directory) or
 * the limits. What exceljs's streaming reader gets is a new zip (stored, not
 * compressed) of only those checked parts, in the order it reads best
 * (workbook, styles and shared strings before the sheets, so it never spills
 * a sheet to a temporary file), never the uploaded bytes themselves.
 */
export interface XlsxLimits {
  /** Declared and actual inflated size of any one part. */
  maxPartBytes: number;
  /** Declared size of all parts together, and actual size of the parts read. */
  maxTotalBytes: number;
  /** Parts (files) in the zip. */
  maxEntries: number;
}

/** Why a file was refused, in Chinese, for the user; the caller names the field. */
export class XlsxRefused extends Error {}

const MB = 1024 * 1024;
const mb = (n: number) => `${Math.ceil(n / MB)} MB`;

/** The parts exceljs's streaming reader looks at, in the order it should see them; everything else is left compressed. */
const PARTS: readonly RegExp[] = [/^xl\/_rels\/workbook\.xml\.rels$/, /^xl\/workbook\.xml$/, /^xl\/styles\.xml$/, /^xl\/sharedStrings\.xml$/, /^xl\/worksheets\/sheet(\d+)\.xml$/];
const rank = (name: string) => PARTS.findIndex((re) => re.test(name));
const sheetNo = (name: string) => Number(/sheet(\d+)\.xml$/.exec(name)?.[1] ?? 0);

/** Without these exceljs parks every sheet in a temporary file until they come; a workbook may lack them. */
const EMPTY_SHARED_STRINGS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>';
const EMPTY_RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>';

/** The checked copy of `body` as a stream for `ExcelJS.stream.xlsx.WorkbookReader`; XlsxRefused when it is not a zip or is too large. */
export async function openXlsx(body: Buffer, limits: XlsxLimits): Promise<Readable> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(body, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch {
    throw new XlsxRefused('不是有效的 Excel 文件（.xlsx），请用导入模板填写后上传');
  }
  try {
    if (zip.entryCount > limits.maxEntries) throw new XlsxRefused(`文件中的部件过多（${zip.entryCount} 个，最多 ${limits.maxEntries} 个），不是导入模板填写的 Excel 文件`);
    const wanted = new Map<string, yauzl.Entry>();
    let declared = 0;
    try {
      for await (const entry of zip.eachEntry()) {
        if (entry.uncompressedSize > limits.maxPartBytes) {
          throw new XlsxRefused(`文件解压后过大：其中“${entry.fileName}”解压后有 ${mb(entry.uncompressedSize)}，每部分最多 ${mb(limits.maxPartBytes)}，请用导入模板重新填写后上传`);
        }
        declared += entry.uncompressedSize;
        if (declared > limits.maxTotalBytes) throw new XlsxRefused(`文件解压后过大：超过 ${mb(limits.maxTotalBytes)}，请用导入模板重新填写后上传`);
        if (rank(entry.fileName) >= 0 && !wanted.has(entry.fileName) && entry.canDecodeFileData()) wanted.set(entry.fileName, entry);
      }
    } catch (err) {
      if (err instanceof XlsxRefused) throw err;
      throw new XlsxRefused('文件已损坏，不是有效的 Excel 文件（.xlsx）');
    }
    if (!wanted.has('xl/workbook.xml')) throw new XlsxRefused('不是有效的 Excel 文件（.xlsx）：缺少工作簿，请用导入模板填写后上传');

    const out = new JSZip();
    if (!wanted.has('xl/_rels/workbook.xml.rels')) out.file('xl/_rels/workbook.xml.rels', EMPTY_RELS);
    const order = [...wanted.values()].sort((a, b) => rank(a.fileName) - rank(b.fileName) || sheetNo(a.fileName) - sheetNo(b.fileName));
    let inflated = 0;
    for (const entry of order) {
      if (entry.fileName.startsWith('xl/worksheets/') && !wanted.has('xl/sharedStrings.xml') && !out.file('xl/sharedStrings.xml')) out.file('xl/sharedStrings.xml', EMPTY_SHARED_STRINGS);
      const budget = Math.min(entry.uncompressedSize, limits.maxPartBytes, limits.maxTotalBytes - inflated);
      const data = await inflate(zip, entry, budget);
      inflated += data.length;
      out.file(entry.fileName, data);
    }
    // A Node stream of the node: module (JSZip's comes from its own copy of readable-stream, which exceljs does not recognise).
    const copy = new PassThrough();
    const generated = out.generateNodeStream({ compression: 'STORE', streamFiles: false });
    generated.on('error', (err: Error) => copy.destroy(err));
    generated.pipe(copy);
    copy.on('close', () => generated.unpipe(copy));
    return copy;
  } finally {
    zip.close();
  }
}

/** One part, inflated as it streams and stopped as soon as it passes `budget` bytes. */
async function inflate(zip: yauzl.ZipFile, entry: yauzl.Entry, budget: number): Promise<Buffer> {
  const tooBig = () => new XlsxRefused(`文件已损坏或被篡改：“${entry.fileName}”解压后超过文件中记录的大小（${mb(entry.uncompressedSize)}），请用导入模板重新填写后上传`);
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch {
    throw new XlsxRefused('文件已损坏，不是有效的 Excel 文件（.xlsx）');
  }
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of stream) {
      n += (chunk as Buffer).length;
      if (n > budget) throw tooBig();
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    stream.destroy();
    if (err instanceof XlsxRefused) throw err;
    // yauzl's own check of the declared size ("too many bytes in the stream"), or a broken deflate stream.
    throw /too many bytes/.test(String((err as Error).message)) ? tooBig() : new XlsxRefused('文件已损坏，不是有效的 Excel 文件（.xlsx）');
  }
  return Buffer.concat(chunks, n);
}
