import fs from 'node:fs';

/**
 * docs/benchmarks.md is shared by every benchmark: each owns the text between
 * its `<!-- bench:<id>:start -->` and `<!-- bench:<id>:end -->` markers and
 * rewrites only that; everything else in the file is kept as it is.
 */

export const APPEND_MARKER = '<!-- other benchmarks append below -->';
const startMarker = (id: string) => `<!-- bench:${id}:start -->`;
const endMarker = (id: string) => `<!-- bench:${id}:end -->`;

export interface DocSection {
  id: string;
  /** Markdown, from its `## Title` on. */
  body: string;
  /** Where a section the file does not have yet goes: above the append marker (this runner's own sections) or at the end. */
  place?: 'above-append-marker' | 'end';
}

/** Puts `section` between its markers, replacing what was there, or adds it when the file has none yet. */
function replaceSection(doc: string, section: DocSection): string {
  const start = startMarker(section.id);
  const end = endMarker(section.id);
  const block = `${start}\n${section.body.trim()}\n${end}`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i) return doc.slice(0, i) + block + doc.slice(j + end.length);
  if (i >= 0 || j >= 0) throw new Error(`docs/benchmarks.md: the markers of section "${section.id}" are broken; fix them by hand`);
  const k = doc.indexOf(APPEND_MARKER);
  if (section.place === 'above-append-marker' && k >= 0) return `${doc.slice(0, k)}${block}\n\n${doc.slice(k)}`;
  return `${doc.replace(/\s*$/, '')}\n\n${block}\n`;
}

/** Rewrites the sections in `file`, creating it from `skeleton` when missing. */
export function updateDoc(file: string, skeleton: string, sections: DocSection[]): void {
  let doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : skeleton;
  for (const s of sections) doc = replaceSection(doc, s);
  fs.writeFileSync(file, doc.replace(/\s*$/, '\n'));
}

/** A Markdown table; `|` in cells is escaped. */
export function mdTable(head: string[], rows: Array<Array<string | number>>): string {
  const cell = (v: string | number) => String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [`| ${head.map(cell).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** 12345.6 → "12,346"; with `digits`, that many decimals. */
export function num(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** 162 → "2 min 42 s"; 41.3 → "41 s". */
export function duration(seconds: number): string {
  if (seconds < 60) return `${num(seconds, seconds < 10 ? 1 : 0)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return `${m} min ${s} s`;
}

export const yesNo = (met: boolean) => (met ? 'yes' : '**no**');
