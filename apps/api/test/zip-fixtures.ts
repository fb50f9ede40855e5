import zlib from 'node:zlib';
import JSZip from 'jszip';

/**
 * Hand-made zip files for the import's zip-bomb tests: a writer that puts
 * whatever sizes it is told into the headers (a bomb declares its real size,
 * or lies), and deflate streams built from repeated blocks, so a gigabyte of
 * sheet XML costs a few milliseconds and a megabyte or two to make.
 */
export interface ZipPart {
  name: string;
  /** The deflated (raw deflate) bytes. */
  deflated: Buffer;
  /** What the headers say it inflates to. */
  declaredSize: number;
  crc?: number;
}

/** A zip of deflated parts, headers as given (local headers and the central directory agree). */
export function writeZip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(p.crc ?? 0, 14);
    local.writeUInt32LE(p.deflated.length, 18);
    local.writeUInt32LE(p.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(p.crc ?? 0, 16);
    central.writeUInt32LE(p.deflated.length, 20);
    central.writeUInt32LE(p.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.deflated);
    centrals.push(central, name);
    offset += 30 + name.length + p.deflated.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** An honest part: `text` deflated, with its real size and CRC. */
export function part(name: string, text: string | Buffer): ZipPart {
  const data = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  return { name, deflated: zlib.deflateRawSync(data), declaredSize: data.length, crc: zlib.crc32(data) };
}

/**
 * `head`, then `block` `times` over, then `tail`, as one raw deflate stream:
 * each piece is deflated on its own and ends with a full flush (byte-aligned,
 * no reference back), so the deflated block can simply be repeated.
 */
export function repeatedDeflate(head: string, block: string, times: number, tail: string): { deflated: Buffer; size: number } {
  const flushed = (s: string) => zlib.deflateRawSync(Buffer.from(s, 'utf8'), { finishFlush: zlib.constants.Z_FULL_FLUSH, level: 9 });
  const b = flushed(block);
  const deflated = Buffer.concat([flushed(head), ...Array.from({ length: times }, () => b), zlib.deflateRawSync(Buffer.from(tail, 'utf8'))]);
  return { deflated, size: Buffer.byteLength(head) + Buffer.byteLength(block) * times + Buffer.byteLength(tail) };
}

/** The parts of a real workbook (as exceljs writes it), honest, without the ones named in `without`. */
export async function partsOf(xlsx: Buffer, without: string[] = []): Promise<ZipPart[]> {
  const zip = await JSZip.loadAsync(xlsx);
  const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir && !without.includes(n));
  return Promise.all(names.map(async (n) => part(n, await zip.files[n].async('nodebuffer'))));
}

export const SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
export const SHEET_TAIL = '</sheetData></worksheet>';

/** A row of inline-string cells, one per text, from column A. */
export function rowXml(r: number, texts: string[]): string {
  const col = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : String.fromCharCode(64 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26)));
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<row r="${r}">${texts.map((t, i) => `<c r="${col(i)}${r}" t="inlineStr"><is><t>${esc(t)}</t></is></c>`).join('')}</row>`;
}
