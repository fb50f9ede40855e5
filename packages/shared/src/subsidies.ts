/**
 * Subsidies (补贴): the rule language and its ONE evaluator.
 *
 * A rule version is data, not code: `conditions` (who qualifies) and `tiers`
 * (how much, first matching tier wins), both written in a small condition
 * language over the FACTS below. The same condition tree is
 *
 * - evaluated for one person (`evaluateRule`): every leaf passed/failed, with
 *   the value found and the record it came from (the "why" of a decision);
 * - compiled to SQL (`compileRuleSql`) for an eligibility run over an area,
 *   which builds the very same "why" in the database, row by row.
 *
 * A fact is one SQL expression over a laborer (`l`) and their household
 * (`h`); for one person the facts are read with those same expressions, so
 * the two paths differ only in the comparison operators, which
 * `apps/api/test/subsidies.test.ts` checks agree.
 */

import { EMPLOYMENT_STATUS_LABELS, POVERTY_STATUS_LABELS } from './codes';

export const SUBSIDY_TYPES = [
  { code: 'transport', label: '一次性交通补贴' },
  { code: 'job_seeking', label: '一次性求职创业补贴' },
  { code: 'post', label: '岗位补贴' },
  { code: 'social_insurance', label: '社会保险补贴' },
] as const;
export type SubsidyType = (typeof SUBSIDY_TYPES)[number]['code'];
export const SUBSIDY_TYPE_LABELS: Readonly<Record<string, string>> = Object.fromEntries(SUBSIDY_TYPES.map((t) => [t.code, t.label]));
export const isSubsidyType = (v: unknown): v is SubsidyType => SUBSIDY_TYPES.some((t) => t.code === v);

/** Where a fact comes from: the laborer's record or their household's. */
export type FactSource = 'laborer' | 'household';
export type FactKind = 'boolean' | 'number' | 'string';

export interface FactDef {
  label: string;
  kind: FactKind;
  source: FactSource;
  /** The record fields the fact is read from (shown in the why). */
  fields: readonly string[];
  /** For string facts: the values it takes (the validator refuses others). */
  values?: readonly string[];
  /**
   * SQL over `l` (laborers) and `h` (households); `asOf` is the placeholder of the
   * run's reference date (a `date`), `city` of nothing: the city name lookup is a
   * correlated subquery on `regions`.
   */
  sql: (asOf: string) => string;
}

const EMPLOYED = `('local','in_province','out_of_province','flexible','public_welfare','workshop','self_employed')`;
const monthsSince = (col: string, asOf: string) =>
  `(CASE WHEN ${col} IS NOT NULL AND ${col} <= ${asOf} THEN (date_part('year', age(${asOf}, ${col})) * 12 + date_part('month', age(${asOf}, ${col})))::int END)`;

export const DESTINATIONS = [
  { code: 'out_of_province', label: '省外' },
  { code: 'out_of_city', label: '省内市外' },
  { code: 'out_of_county', label: '市内县外' },
  { code: 'local', label: '县内' },
  { code: 'none', label: '未就业' },
] as const;
export const DESTINATION_LABELS: Readonly<Record<string, string>> = Object.fromEntries(DESTINATIONS.map((d) => [d.code, d.label]));

/**
 * The facts a rule may name. `destination`: out of province from the
 * employment status; in province, "in the city" when the place of work names
 * the laborer's own city (岳阳市 / 岳阳), else out of the city.
 */
export const SUBSIDY_FACTS = {
  povertyRelieved: {
    label: '脱贫户或监测对象',
    kind: 'boolean',
    source: 'household',
    fields: ['povertyStatus'],
    sql: () => `(h.poverty_status IN ('lifted','monitored'))`,
  },
  povertyStatus: { label: '脱贫属性', kind: 'string', source: 'household', fields: ['povertyStatus'], values: ['lifted', 'monitored', 'ordinary'], sql: () => `h.poverty_status` },
  employmentStatus: {
    label: '就业状态',
    kind: 'string',
    source: 'laborer',
    fields: ['employmentStatus'],
    values: ['local', 'in_province', 'out_of_province', 'flexible', 'public_welfare', 'workshop', 'self_employed', 'unemployed', 'unable', 'in_school'],
    sql: () => `l.employment_status`,
  },
  isHardToEmploy: { label: '困难劳动力', kind: 'boolean', source: 'laborer', fields: ['isHardToEmploy'], sql: () => `l.is_hard_to_employ` },
  monthsEmployed: {
    label: '本次就业已满月数',
    kind: 'number',
    source: 'laborer',
    fields: ['employmentStatus', 'employedSince'],
    sql: (asOf) => `(CASE WHEN l.employment_status IN ${EMPLOYED} THEN ${monthsSince('l.employed_since', asOf)} END)`,
  },
  monthsEmployedAway: {
    label: '县外务工已满月数',
    kind: 'number',
    source: 'laborer',
    fields: ['employmentStatus', 'employedSince'],
    sql: (asOf) => `(CASE WHEN l.employment_status IN ('in_province','out_of_province') THEN ${monthsSince('l.employed_since', asOf)} ELSE 0 END)`,
  },
  destination: {
    label: '务工地',
    kind: 'string',
    source: 'laborer',
    fields: ['employmentStatus', 'workPlace'],
    values: DESTINATIONS.map((d) => d.code),
    sql: () => `(CASE WHEN l.employment_status = 'out_of_province' THEN 'out_of_province'
      WHEN l.employment_status = 'in_province' THEN
        CASE WHEN l.work_place IS NOT NULL AND EXISTS (SELECT 1 FROM regions sf_c WHERE sf_c.code = left(l.region_code, 4)
          AND strpos(l.work_place, regexp_replace(sf_c.name, '(市|地区|自治州|盟)$', '')) > 0) THEN 'out_of_county' ELSE 'out_of_city' END
      WHEN l.employment_status IN ${EMPLOYED} THEN 'local' ELSE 'none' END)`,
  },
  monthlyIncome: { label: '月收入(元)', kind: 'number', source: 'laborer', fields: ['monthlyIncome'], sql: () => `l.monthly_income` },
  age: { label: '年龄', kind: 'number', source: 'laborer', fields: ['birthDate'], sql: (asOf) => `date_part('year', age(${asOf}, l.birth_date))::int` },
} as const satisfies Record<string, FactDef>;
export type SubsidyFact = keyof typeof SUBSIDY_FACTS;
export const SUBSIDY_FACT_NAMES = Object.keys(SUBSIDY_FACTS) as SubsidyFact[];

export const CONDITION_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];
export const CONDITION_OP_LABELS: Readonly<Record<ConditionOp, string>> = { eq: '等于', ne: '不等于', gt: '大于', gte: '不少于', lt: '小于', lte: '不超过', in: '属于' };

type Scalar = boolean | number | string;
export type Leaf = { field: SubsidyFact } & Partial<Record<Exclude<ConditionOp, 'in'>, Scalar>> & { in?: Scalar[] };
export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | Leaf;

export interface SubsidyTier {
  /** Null: every qualified person (a flat amount). */
  when: Condition | null;
  /** In fen (分), an integer. */
  amountFen: number;
  label: string;
}

/** What a rule version holds: stored as JSON, never compiled into the code base. */
export interface RuleData {
  conditions: Condition;
  tiers: SubsidyTier[];
}

/** One leaf of a rule checked for one person. */
export interface RuleCheck {
  /** Where in the rule: `conditions.all[1]`, `tiers[0].when`. */
  path: string;
  field: SubsidyFact;
  op: ConditionOp;
  expected: Scalar | Scalar[];
  /** The fact's value for this person (null when the record does not say). */
  value: Scalar | null;
  passed: boolean;
  /** The record it was read from: laborer or household, its id and version, and which fields. */
  source: { record: FactSource; id: string; version: number; fields: string[] };
}

export interface RuleOutcome {
  eligible: boolean;
  /** The conditions' leaves, then the chosen tier's. */
  checks: RuleCheck[];
  tier: number | null;
  tierLabel: string | null;
  amountFen: number | null;
}

/** A person's facts as read for a rule, with the records they come from. */
export type FactValues = Partial<Record<SubsidyFact, Scalar | null>> & {
  $laborer: { id: string; version: number };
  $household: { id: string; version: number };
};

// ---- Validation: the schema of rule data ----

const MAX_DEPTH = 6;
const MAX_LEAVES = 40;
const MAX_TIERS = 10;
const MAX_AMOUNT_FEN = 10_000_000; // 100,000 yuan

/** Problems of a rule's data, each named by its path (`conditions.all[1].gte`) with a Chinese reason; empty when valid. */
export function validateRuleData(data: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  let leaves = 0;
  const cond = (c: unknown, path: string, depth: number): void => {
    if (depth > MAX_DEPTH) return void (errors[path] = `条件嵌套不能超过 ${MAX_DEPTH} 层`);
    if (!c || typeof c !== 'object' || Array.isArray(c)) return void (errors[path] = '应为条件对象：{all:[…]}、{any:[…]}、{not:…} 或 {field, 比较}');
    const o = c as Record<string, unknown>;
    const keys = Object.keys(o);
    if ('all' in o || 'any' in o) {
      const k = 'all' in o ? 'all' : 'any';
      if (keys.length !== 1) return void (errors[path] = `${k} 不能与其他键并列`);
      const list = o[k];
      if (!Array.isArray(list) || list.length === 0) return void (errors[`${path}.${k}`] = '应为至少含一个条件的数组');
      list.forEach((x, i) => cond(x, `${path}.${k}[${i}]`, depth + 1));
      return;
    }
    if ('not' in o) {
      if (keys.length !== 1) return void (errors[path] = 'not 不能与其他键并列');
      return cond(o.not, `${path}.not`, depth + 1);
    }
    if (++leaves > MAX_LEAVES) return void (errors[path] = `条件不能超过 ${MAX_LEAVES} 项`);
    const field = o.field;
    if (typeof field !== 'string' || !(field in SUBSIDY_FACTS)) return void (errors[`${path}.field`] = `未知的字段，可用：${SUBSIDY_FACT_NAMES.join('、')}`);
    const def: FactDef = SUBSIDY_FACTS[field as SubsidyFact];
    const ops = keys.filter((k) => k !== 'field');
    if (ops.length !== 1 || !(CONDITION_OPS as readonly string[]).includes(ops[0])) return void (errors[path] = `应有且只有一个比较：${CONDITION_OPS.join('、')}`);
    const op = ops[0] as ConditionOp;
    const fits = (v: unknown): string | null => {
      if (def.kind === 'boolean') return typeof v === 'boolean' ? null : '应为 true 或 false';
      if (def.kind === 'number') return typeof v === 'number' && Number.isFinite(v) ? null : '应为数字';
      if (typeof v !== 'string') return '应为文字';
      return def.values && !def.values.includes(v) ? `不是可用的值，可用：${def.values.join('、')}` : null;
    };
    if ((op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') && def.kind !== 'number') return void (errors[`${path}.${op}`] = `${def.label}不是数字，不能比较大小`);
    if (op === 'in') {
      const list = o.in;
      if (!Array.isArray(list) || list.length === 0 || list.length > 20) return void (errors[`${path}.in`] = '应为 1 到 20 个值的数组');
      list.forEach((v, i) => {
        const e = fits(v);
        if (e) errors[`${path}.in[${i}]`] = e;
      });
      return;
    }
    const e = fits(o[op]);
    if (e) errors[`${path}.${op}`] = e;
  };
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { data: '应为对象 {conditions, tiers}' };
  const d = data as Record<string, unknown>;
  for (const k of Object.keys(d)) if (k !== 'conditions' && k !== 'tiers') errors[k] = '不认识的字段';
  cond(d.conditions, 'conditions', 1);
  if (!Array.isArray(d.tiers) || d.tiers.length === 0 || d.tiers.length > MAX_TIERS) errors.tiers = `应为 1 到 ${MAX_TIERS} 档的数组`;
  else
    d.tiers.forEach((t: unknown, i) => {
      const p = `tiers[${i}]`;
      if (!t || typeof t !== 'object' || Array.isArray(t)) return void (errors[p] = '应为 {when, amountFen, label}');
      const o = t as Record<string, unknown>;
      for (const k of Object.keys(o)) if (!['when', 'amountFen', 'label'].includes(k)) errors[`${p}.${k}`] = '不认识的字段';
      if (o.when !== null && o.when !== undefined) cond(o.when, `${p}.when`, 1);
      if (!Number.isInteger(o.amountFen) || (o.amountFen as number) <= 0 || (o.amountFen as number) > MAX_AMOUNT_FEN) errors[`${p}.amountFen`] = '金额应为 0.01 到 100,000.00 元（即 1 到 10,000,000 分的整数）';
      if (typeof o.label !== 'string' || !o.label.trim() || o.label.length > 40) errors[`${p}.label`] = '档次名称应为 1 到 40 个字';
    });
  return errors;
}

// ---- The evaluator: one walk of the tree, two back ends ----

function leafOp(l: Leaf): ConditionOp {
  return CONDITION_OPS.find((op) => op in l)!;
}
const isLeaf = (c: Condition): c is Leaf => 'field' in c;

/** Every leaf of a condition with its path, in the order both back ends list them. */
function leavesOf(c: Condition, path: string, out: Array<{ path: string; leaf: Leaf }> = []) {
  if (isLeaf(c)) out.push({ path, leaf: c });
  else if ('all' in c) c.all.forEach((x, i) => leavesOf(x, `${path}.all[${i}]`, out));
  else if ('any' in c) c.any.forEach((x, i) => leavesOf(x, `${path}.any[${i}]`, out));
  else leavesOf(c.not, `${path}.not`, out);
  return out;
}

function compare(op: ConditionOp, value: Scalar | null, expected: Scalar | Scalar[]): boolean {
  // SQL's NULL compared is unknown, taken as false (COALESCE(..., false)): the same here.
  if (value === null || value === undefined) return false;
  switch (op) {
    case 'eq':
      return value === expected;
    case 'ne':
      return value !== expected;
    case 'gt':
      return (value as number) > (expected as number);
    case 'gte':
      return (value as number) >= (expected as number);
    case 'lt':
      return (value as number) < (expected as number);
    case 'lte':
      return (value as number) <= (expected as number);
    case 'in':
      return (expected as Scalar[]).includes(value);
  }
}

function evalTree(c: Condition, path: string, f: FactValues): boolean {
  if (isLeaf(c)) {
    const op = leafOp(c);
    return compare(op, f[c.field] ?? null, c[op] as Scalar | Scalar[]);
  }
  if ('all' in c) return c.all.every((x, i) => evalTree(x, `${path}.all[${i}]`, f));
  if ('any' in c) return c.any.some((x, i) => evalTree(x, `${path}.any[${i}]`, f));
  return !evalTree(c.not, `${path}.not`, f);
}

function checksOf(c: Condition, path: string, f: FactValues): RuleCheck[] {
  return leavesOf(c, path).map(({ path: p, leaf }) => {
    const op = leafOp(leaf);
    const def: FactDef = SUBSIDY_FACTS[leaf.field];
    const rec = def.source === 'laborer' ? f.$laborer : f.$household;
    const value = f[leaf.field] ?? null;
    return { path: p, field: leaf.field, op, expected: leaf[op] as Scalar | Scalar[], value, passed: compare(op, value, leaf[op] as Scalar | Scalar[]), source: { record: def.source, id: rec.id, version: rec.version, fields: [...def.fields] } };
  });
}

/** One person against a rule version: eligible or not, the amount, and every check with its value and record. */
export function evaluateRule(rule: RuleData, f: FactValues): RuleOutcome {
  const checks = checksOf(rule.conditions, 'conditions', f);
  if (!evalTree(rule.conditions, 'conditions', f)) return { eligible: false, checks, tier: null, tierLabel: null, amountFen: null };
  const tier = rule.tiers.findIndex((t, i) => t.when === null || t.when === undefined || evalTree(t.when, `tiers[${i}].when`, f));
  if (tier < 0) {
    // Qualified but in no tier: every tier's checks say why.
    rule.tiers.forEach((t, i) => t.when && checks.push(...checksOf(t.when, `tiers[${i}].when`, f)));
    return { eligible: false, checks, tier: null, tierLabel: null, amountFen: null };
  }
  const t = rule.tiers[tier];
  if (t.when) checks.push(...checksOf(t.when, `tiers[${tier}].when`, f));
  return { eligible: true, checks, tier, tierLabel: t.label, amountFen: t.amountFen };
}

/** The facts' SQL columns (`"povertyRelieved"` ...) for one person or a run, over `l` and `h`. */
export function factColumnsSql(asOf: string): string {
  return SUBSIDY_FACT_NAMES.map((n) => `${(SUBSIDY_FACTS[n] as FactDef).sql(asOf)} AS "${n}"`).join(',\n  ');
}

/** SQL pieces of a rule for a run: which rows qualify and at which tier, and the why (a jsonb array of checks) of each. */
export interface CompiledRule {
  /** Boolean: the conditions hold. Columns are the facts' (`f."monthsEmployedAway"`). */
  qualifies: string;
  /** Integer: the first tier whose condition holds, NULL when none. */
  tier: string;
  /** jsonb: the checks of the conditions and of the row's tier (`tier` the column holding it). */
  why: (tierColumn: string) => string;
}

/**
 * The rule as SQL over a relation `f` holding the fact columns plus
 * `laborer_id`, `laborer_version`, `household_id`, `household_version`.
 * Values are bound through `bind` (placeholders), never spliced.
 */
export function compileRuleSql(rule: RuleData, bind: (v: unknown) => string, f = 'f'): CompiledRule {
  const col = (name: SubsidyFact) => `${f}."${name}"`;
  const kindCast = (name: SubsidyFact) => ({ boolean: 'boolean', number: 'numeric', string: 'text' })[(SUBSIDY_FACTS[name] as FactDef).kind];
  const leafSql = (l: Leaf): string => {
    const op = leafOp(l);
    const cast = kindCast(l.field);
    if (op === 'in') return `COALESCE(${col(l.field)}::${cast} = ANY(${bind((l.in as Scalar[]).map(String))}::${cast}[]), false)`;
    const sqlOp = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' }[op];
    return `COALESCE(${col(l.field)}::${cast} ${sqlOp} ${bind(String(l[op]))}::${cast}, false)`;
  };
  const tree = (c: Condition): string => {
    if (isLeaf(c)) return leafSql(c);
    if ('all' in c) return `(${c.all.map(tree).join(' AND ')})`;
    if ('any' in c) return `(${c.any.map(tree).join(' OR ')})`;
    return `(NOT ${tree(c.not)})`;
  };
  const checks = (c: Condition, path: string) =>
    leavesOf(c, path).map(({ path: p, leaf }) => {
      const op = leafOp(leaf);
      const def: FactDef = SUBSIDY_FACTS[leaf.field];
      const rec = def.source === 'laborer' ? `${f}.laborer_id, 'version', ${f}.laborer_version` : `${f}.household_id, 'version', ${f}.household_version`;
      return `jsonb_build_object('path', ${bind(p)}::text, 'field', ${bind(leaf.field)}::text, 'op', ${bind(op)}::text, 'expected', ${bind(JSON.stringify(leaf[op]))}::jsonb,
        'value', to_jsonb(${col(leaf.field)}), 'passed', ${leafSql(leaf)},
        'source', jsonb_build_object('record', ${bind(def.source)}::text, 'id', ${rec}, 'fields', ${bind(JSON.stringify(def.fields))}::jsonb))`;
    });
  const condChecks = checks(rule.conditions, 'conditions');
  const tierCases = rule.tiers.map((t, i) => `WHEN ${t.when ? tree(t.when) : 'TRUE'} THEN ${i}`).join(' ');
  const tierChecks = rule.tiers.map((t, i) => (t.when ? `WHEN ${i} THEN jsonb_build_array(${checks(t.when, `tiers[${i}].when`).join(', ')})` : `WHEN ${i} THEN '[]'::jsonb`)).join(' ');
  return {
    qualifies: tree(rule.conditions),
    tier: `(CASE ${tierCases} END)`,
    why: (tierColumn) => `(jsonb_build_array(${condChecks.join(', ')}) || (CASE ${tierColumn} ${tierChecks} ELSE '[]'::jsonb END))`,
  };
}

// ---- In words: the why for staff and workers, a rule as a readable list ----

/** A fact's value in words: 是/否, 省外, 外出务工（省外）, 无记录. */
export function factValueText(field: string, v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => factValueText(field, x)).join('/');
  if (v === null || v === undefined) return '无记录';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (field === 'destination') return DESTINATION_LABELS[String(v)] ?? String(v);
  if (field === 'employmentStatus') return (EMPLOYMENT_STATUS_LABELS as Record<string, string>)[String(v)] ?? String(v);
  if (field === 'povertyStatus') return (POVERTY_STATUS_LABELS as Record<string, string>)[String(v)] ?? String(v);
  return String(v);
}

const factLabel = (field: string) => (SUBSIDY_FACTS as Record<string, FactDef>)[field]?.label ?? field;

/** One check as a sentence for spreadsheets and screens: 脱贫户或监测对象等于是：是（符合）. */
export function checkText(c: RuleCheck): string {
  return `${factLabel(c.field)}${CONDITION_OP_LABELS[c.op]}${factValueText(c.field, c.expected)}：${factValueText(c.field, c.value)}（${c.passed ? '符合' : '不符合'}）`;
}

/** A rule's condition as lines, indented by depth: 以下全部满足 / 以下任一满足 / 不满足以下, each leaf "县外务工已满月数 不少于 3". */
export function conditionLines(c: Condition, depth = 0): Array<{ depth: number; text: string }> {
  if (isLeaf(c)) {
    const op = leafOp(c);
    return [{ depth, text: `${factLabel(c.field)} ${CONDITION_OP_LABELS[op]} ${factValueText(c.field, c[op])}` }];
  }
  if ('all' in c) return [{ depth, text: '以下全部满足：' }, ...c.all.flatMap((x) => conditionLines(x, depth + 1))];
  if ('any' in c) return [{ depth, text: '以下任一满足：' }, ...c.any.flatMap((x) => conditionLines(x, depth + 1))];
  return [{ depth, text: '不满足以下：' }, ...conditionLines(c.not, depth + 1)];
}

/** Yuan text of an amount in fen: 60000 -> "600.00". */
export function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

/** A period: a year (2026), a half (2026-H1), a quarter (2026-Q3) or a month (2026-11). */
export const SUBSIDY_PERIOD_PATTERN = '^[0-9]{4}(-(0[1-9]|1[0-2]|H[12]|Q[1-4]))?$';

/** The last day of a period, as an ISO date. */
export function periodEnd(period: string): string {
  const y = Number(period.slice(0, 4));
  const rest = period.slice(5);
  let month = 12;
  if (/^H[12]$/.test(rest)) month = rest === 'H1' ? 6 : 12;
  else if (/^Q[1-4]$/.test(rest)) month = Number(rest[1]) * 3;
  else if (/^\d{2}$/.test(rest)) month = Number(rest);
  const last = new Date(Date.UTC(y, month, 0));
  return last.toISOString().slice(0, 10);
}

// ---- The cycle ----

export const CYCLE_STATUSES = [
  { code: 'draft', label: '草稿' },
  { code: 'notice', label: '村级公示中' },
  { code: 'township_review', label: '乡镇审核中' },
  { code: 'county_approval', label: '县级审批中' },
  { code: 'approved', label: '已审批（名单已锁定）' },
  { code: 'paid', label: '已发放' },
  { code: 'closed', label: '已办结' },
  { code: 'cancelled', label: '已撤销' },
] as const;
export type CycleStatus = (typeof CYCLE_STATUSES)[number]['code'];
export const CYCLE_STATUS_LABELS: Readonly<Record<string, string>> = Object.fromEntries(CYCLE_STATUSES.map((s) => [s.code, s.label]));

/** Who moves a cycle from one status to the next: the permission and the widest region level (code length) of the account. */
export const CYCLE_TRANSITIONS: Readonly<Record<string, { from: readonly CycleStatus[]; permission: 'subsidies.manage' | 'subsidies.review' | 'subsidies.approve'; maxLevel: number; label: string }>> = {
  notice: { from: ['draft'], permission: 'subsidies.manage', maxLevel: 9, label: '开始村级公示' },
  township_review: { from: ['notice'], permission: 'subsidies.review', maxLevel: 9, label: '公示结束，交乡镇审核' },
  county_approval: { from: ['township_review'], permission: 'subsidies.review', maxLevel: 9, label: '乡镇审核通过，报县审批' },
  approved: { from: ['county_approval'], permission: 'subsidies.approve', maxLevel: 6, label: '县级审批通过（锁定名单）' },
  paid: { from: ['approved'], permission: 'subsidies.manage', maxLevel: 9, label: '发放完成' },
  closed: { from: ['paid'], permission: 'subsidies.manage', maxLevel: 9, label: '办结' },
  cancelled: { from: ['draft', 'notice', 'township_review', 'county_approval'], permission: 'subsidies.manage', maxLevel: 9, label: '撤销' },
};

export const ENTITLEMENT_STATUS_LABELS: Readonly<Record<string, string>> = {
  proposed: '待审批',
  excluded: '已剔除',
  approved: '已批准',
  blocked: '未批准（本期已享受或与其他补贴互斥）',
};
export const PAYMENT_STATUS_LABELS: Readonly<Record<string, string>> = { pending: '待发放', paid: '已发放', failed: '发放失败' };

/** The worker's view of one of their subsidies (GET /me/subsidies). */
export interface MySubsidyView {
  id: string;
  subsidyType: string;
  period: string;
  amountFen: number;
  tierLabel: string | null;
  cycleStatus: string;
  status: string;
  paymentStatus: string | null;
  noticeStart: string | null;
  noticeEnd: string | null;
  checks: RuleCheck[];
}
