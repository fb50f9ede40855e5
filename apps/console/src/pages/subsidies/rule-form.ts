import { SUBSIDY_FACTS, conditionLines, yuan, type Condition, type ConditionOp, type FactDef, type Leaf, type RuleData, type SubsidyFact } from '@jobbridge/shared';

/**
 * A rule version's data as the console's form holds it, and back. The form covers the shape county rules
 * take (conditions all or any of plain comparisons; each tier's "when" none, one or all of some); a version
 * of another shape (a `not`, an `any` inside an `all`) is edited as JSON. Either way the server's
 * `validateRuleData` decides, and its messages, named by path, are placed on the form's fields here.
 */

/** One comparison as a form row; booleans travel as 'true'/'false' (antd's Select holds strings and numbers). */
export interface LeafRow {
  field?: SubsidyFact;
  op?: ConditionOp;
  value?: string | number | string[] | null;
}
export interface TierRow {
  label?: string;
  amountYuan?: number | null;
  when?: LeafRow[];
}
export interface RuleRows {
  combine: 'all' | 'any';
  conditions: LeafRow[];
  tiers: TierRow[];
}

const facts = SUBSIDY_FACTS as Record<string, FactDef>;
export const factOf = (field: string | undefined): FactDef | undefined => (field ? facts[field] : undefined);

/** The comparisons a fact's kind takes in the form (the language allows more; those go through JSON). */
export function opsFor(field: string | undefined): ConditionOp[] {
  const kind = factOf(field)?.kind;
  if (kind === 'number') return ['gte', 'gt', 'lte', 'lt', 'eq', 'ne'];
  if (kind === 'string') return ['eq', 'ne', 'in'];
  return ['eq', 'ne'];
}

const isLeaf = (c: Condition): c is Leaf => 'field' in c;
const leafOp = (l: Leaf): ConditionOp | undefined => (['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in'] as const).find((op) => op in l);

function rowOf(c: Condition): LeafRow | null {
  if (!isLeaf(c)) return null;
  const op = leafOp(c);
  const def = factOf(c.field);
  if (!op || !def || !opsFor(c.field).includes(op)) return null;
  const v = c[op];
  if (def.kind === 'boolean') return typeof v === 'boolean' ? { field: c.field, op, value: String(v) } : null;
  if (op === 'in') return Array.isArray(v) && v.every((x) => typeof x === 'string') ? { field: c.field, op, value: v as string[] } : null;
  return typeof v === 'string' || typeof v === 'number' ? { field: c.field, op, value: v } : null;
}

function rowsOf(c: Condition | null | undefined, allowAny: boolean): { combine: 'all' | 'any'; rows: LeafRow[] } | null {
  if (c === null || c === undefined) return { combine: 'all', rows: [] };
  if (isLeaf(c)) {
    const r = rowOf(c);
    return r ? { combine: 'all', rows: [r] } : null;
  }
  const combine = 'all' in c ? 'all' : 'any' in c && allowAny ? 'any' : null;
  if (!combine) return null;
  const rows = (c as Record<'all' | 'any', Condition[]>)[combine].map(rowOf);
  return rows.every((r): r is LeafRow => r !== null) ? { combine, rows } : null;
}

/** The form's rows for a version's data, or null when its shape needs the JSON editor. */
export function toRows(data: RuleData): RuleRows | null {
  const cond = rowsOf(data.conditions, true);
  if (!cond) return null;
  const tiers: TierRow[] = [];
  for (const t of data.tiers) {
    const when = rowsOf(t.when, false);
    if (!when) return null;
    tiers.push({ label: t.label, amountYuan: t.amountFen / 100, when: when.rows });
  }
  return { combine: cond.combine, conditions: cond.rows, tiers };
}

function leafOf(r: LeafRow): Leaf {
  const op = r.op ?? 'eq';
  const kind = factOf(r.field)?.kind;
  let value: unknown = r.value;
  if (kind === 'boolean') value = r.value === 'true' ? true : r.value === 'false' ? false : r.value;
  else if (op === 'in') value = Array.isArray(r.value) ? r.value : r.value === undefined || r.value === null ? [] : [r.value];
  return { field: r.field, [op]: value } as Leaf;
}

/** The data the API takes, from the form's rows; amounts in yuan become fen (rounded to the fen). */
export function fromRows(rows: RuleRows): RuleData {
  return {
    conditions: { [rows.combine]: rows.conditions.map(leafOf) } as Condition,
    tiers: rows.tiers.map((t) => {
      const when = (t.when ?? []).map(leafOf);
      const amount = typeof t.amountYuan === 'number' ? Math.round(t.amountYuan * 100) : (t.amountYuan as unknown as number);
      return { when: when.length === 0 ? null : when.length === 1 ? when[0] : { all: when }, amountFen: amount, label: (t.label ?? '').trim() };
    }),
  };
}

/**
 * Where a problem the API names (`data.conditions.all[1].gte`, `data.tiers[0].when.all[2].field`,
 * `data.tiers[1].amountFen`) goes on the form: the row's field, comparison or value; null for the
 * problems of the whole list (shown in the alert).
 */
export function formNameOf(key: string): (string | number)[] | null {
  const path = key.replace(/^data\./, '');
  const part = (sub: string | undefined) => (sub === 'field' ? 'field' : sub === undefined ? 'op' : 'value');
  let m = /^conditions\.(?:all|any)\[(\d+)\](?:\.(\w+))?(?:\[\d+\])?$/.exec(path);
  if (m) return ['conditions', Number(m[1]), part(m[2])];
  m = /^tiers\[(\d+)\]\.(amountFen|label)$/.exec(path);
  if (m) return ['tiers', Number(m[1]), m[2] === 'amountFen' ? 'amountYuan' : 'label'];
  m = /^tiers\[(\d+)\]\.when(?:\.all\[(\d+)\])?(?:\.(\w+))?(?:\[\d+\])?$/.exec(path);
  if (m) return ['tiers', Number(m[1]), 'when', Number(m[2] ?? 0), part(m[3])];
  return null;
}

/** A version as readable lines (the same words as its list view): the conditions, then each tier. */
export function ruleLines(data: RuleData): string[] {
  const indent = (depth: number) => '　'.repeat(depth);
  return [
    ...conditionLines(data.conditions).map((l) => `符合条件：${indent(l.depth)}${l.text}`),
    ...data.tiers.flatMap((t, i) => [`档次 ${i + 1}：${t.label}，${yuan(t.amountFen)} 元`, ...(t.when ? conditionLines(t.when).map((l) => `档次 ${i + 1} 适用于：${indent(l.depth)}${l.text}`) : [`档次 ${i + 1} 适用于：所有符合条件者`])]),
  ];
}

export interface LineChange {
  kind: 'added' | 'removed';
  text: string;
}

/** What a version changed from the one before, line by line (a longest-common-subsequence diff of `ruleLines`). */
export function versionChanges(before: RuleData, after: RuleData): LineChange[] {
  const a = ruleLines(before);
  const b = ruleLines(after);
  // lcs[i][j]: the longest common run of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: LineChange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) out.push({ kind: 'removed', text: a[i++] });
    else out.push({ kind: 'added', text: b[j++] });
  }
  return out;
}
