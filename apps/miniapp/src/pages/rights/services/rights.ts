import { chinaDate, type RecommendationView, type RightsCaseKind, type RightsCaseSource, type RightsCaseView, type RightsStatus } from '@jobbridge/shared';
import { request } from '../../../services/api';
import { ApiError, errorMessage } from '../../../services/errors';
import { uuid, type AttentionItem, type Outbox, type PendingOp } from '../../../services/outbox';
import { taroStorage, type KeyValueStorage } from '../../../services/storage';

/** What a worker or an officer fills in; the amount in yuan as typed (converted to fen on sending). */
export interface HelpForm {
  kind: RightsCaseKind | null;
  /** An employer picked from a list (the area's supply list, or the worker's own recommendations); null: typed in. */
  employerId: string | null;
  employerName: string;
  place: string;
  amountYuan: string;
  description: string;
}

export const EMPTY_HELP: HelpForm = { kind: null, employerId: null, employerName: '', place: '', amountYuan: '', description: '' };

/** "1234.5" yuan -> 123450 fen; '' -> null; NaN for what is not an amount. */
export function yuanToFen(text: string): number | null {
  const t = text.trim();
  if (!t) return null;
  if (!/^\d{1,8}(\.\d{1,2})?$/.test(t)) return Number.NaN;
  return Math.round(Number(t) * 100);
}

/** The form's errors before sending (the server checks the same and names the same fields). */
export function helpErrors(f: HelpForm): Record<string, string> {
  const e: Record<string, string> = {};
  if (!f.kind) e.kind = '请选择求助类型';
  if (!f.employerName.trim()) e.employerName = '请填写用工单位（老板、包工头）';
  if (!f.place.trim()) e.place = '请填写务工地点';
  if (Number.isNaN(yuanToFen(f.amountYuan))) e.amountClaimed = '请填写金额（元），如 15600';
  if (f.description.trim().length < 2) e.description = '请说说发生了什么（至少 2 个字）';
  return e;
}

function body(f: HelpForm) {
  return { kind: f.kind, ...(f.employerId ? { employerId: f.employerId } : {}), employerName: f.employerName.trim(), place: f.place.trim(), amountClaimed: yuanToFen(f.amountYuan), description: f.description.trim() };
}

// ---- the employer: picked from a list, or typed in ----

/** An employer one may pick: its id and name. */
export interface EmployerChoice {
  id: string;
  name: string;
}

/** Where the form's employer choices come from, for what has been typed; `note` says why there are none (no network). */
export type EmployerChoices = (typed: string) => Promise<{ items: EmployerChoice[]; note?: string }>;

const KEPT_EMPLOYERS_MAX = 300;

/**
 * The officer's choices: the employers of the area's supply list (GET /employers, which needs `jobs.read`) whose
 * name holds what was typed. Every employer the phone has been shown is kept, so with no network the same
 * search runs over those; the name typed in stays usable either way.
 */
export function areaEmployers(accountId: string, storage: KeyValueStorage = taroStorage): EmployerChoices {
  const key = `jb.${accountId}.employers`;
  const kept = (): EmployerChoice[] => {
    const v = storage.get(key);
    return Array.isArray(v) ? (v as EmployerChoice[]) : [];
  };
  return async (typed) => {
    const q = typed.trim().slice(0, 50);
    try {
      const r = await request<{ items: EmployerChoice[] }>({ path: '/employers', query: { ...(q ? { q } : {}), status: 'active', limit: 8 } });
      const items = r.items.map(({ id, name }) => ({ id, name }));
      const ids = new Set(items.map((e) => e.id));
      storage.set(key, [...items, ...kept().filter((e) => !ids.has(e.id))].slice(0, KEPT_EMPLOYERS_MAX));
      return { items };
    } catch (err) {
      // Refused (not the signal): say so; no answer at all, or a failing server: what the phone has.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) return { items: [], note: errorMessage(err) };
      const items = kept().filter((e) => e.name.includes(q)).slice(0, 8);
      return { items, note: items.length ? '没有联网：以下是本机存过的单位' : '没有联网，查不到用工单位名单：请直接填写单位名称' };
    }
  };
}

/** The worker's choices: the employers of their own recommendations (hired first), from GET /me/recommendations. */
export function myEmployers(load: () => Promise<{ items: RecommendationView[] }> = () => request({ path: '/me/recommendations' })): EmployerChoices {
  let all: Promise<EmployerChoice[]> | null = null;
  return async (typed) => {
    all ??= load().then((r) => {
      const hiredFirst = [...r.items].sort((a, b) => Number(b.status === 'hired') - Number(a.status === 'hired'));
      const seen = new Map<string, EmployerChoice>();
      for (const x of hiredFirst) if (!seen.has(x.posting.employerId)) seen.set(x.posting.employerId, { id: x.posting.employerId, name: x.posting.employerName });
      return [...seen.values()];
    });
    try {
      const q = typed.trim();
      return { items: (await all).filter((e) => !q || e.name.includes(q)) };
    } catch {
      all = null;
      return { items: [] };
    }
  };
}

// ---- the worker ----

export const submitHelp = (f: HelpForm) => request<{ id: string; status: RightsStatus; dueDate: string | null }>({ method: 'POST', path: '/me/rights-cases', data: body(f) });
export const myCases = () => request<{ items: RightsCaseView[] }>({ path: '/me/rights-cases' });

// ---- the officer ----

/**
 * The officer opens a case for a laborer of the survey: queued in the survey's outbox as `rightsCase.open` (the
 * case's id made here, the day it was received, the picked employer's id with it), so a weak signal loses
 * nothing; the outbox sends it with the survey's ops. Returns the queued op.
 */
export function queueOpen(outbox: Outbox, laborerId: string, source: Extract<RightsCaseSource, 'survey' | 'visit'>, f: HelpForm, now = new Date()): PendingOp {
  return outbox.enqueue('rightsCase.open', uuid(), { ...body(f), laborerId, source, openedOn: chinaDate(now) });
}

/** Cases opened on this phone and not sent yet (or refused: `message` says why), for the officer's list. */
export function queuedOpens(outbox: Outbox): Array<{ op: PendingOp; message: string | null }> {
  return [
    ...outbox.attention.filter((a) => a.op.type === 'rightsCase.open').map((a) => ({ op: a.op, message: a.message })),
    ...outbox.pendingOps.filter((o) => o.type === 'rightsCase.open').map((op) => ({ op, message: null })),
  ];
}

/** The area's cases, kept on the phone so the list and a case's edits work with no network. */
export class AreaCases {
  constructor(
    private readonly accountId: string,
    private readonly storage: KeyValueStorage = taroStorage,
  ) {}

  private get key() {
    return `jb.${this.accountId}.rights-cases`;
  }

  kept(): { items: RightsCaseView[]; at: string } | null {
    const v = this.storage.get(this.key);
    return v && typeof v === 'object' && Array.isArray((v as { items?: unknown }).items) ? (v as { items: RightsCaseView[]; at: string }) : null;
  }

  /** Downloads the area's open cases (and the last closed ones) and keeps them. */
  async refresh(): Promise<RightsCaseView[]> {
    const r = await request<{ items: RightsCaseView[] }>({ path: '/rights/cases', query: { limit: 200 } });
    this.storage.set(this.key, { items: r.items, at: new Date().toISOString() });
    return r.items;
  }

  one(id: string): RightsCaseView | null {
    return this.kept()?.items.find((c) => c.id === id) ?? null;
  }

  /**
   * One case from the server (a deadline notice may name one beyond the downloaded list: the county's staff see
   * more than 200), kept with the others so it opens offline next time.
   */
  async fetchOne(id: string): Promise<RightsCaseView> {
    const c: RightsCaseView & { history?: unknown } = await request<RightsCaseView & { history?: unknown }>({ path: `/rights/cases/${encodeURIComponent(id)}` });
    delete c.history;
    const items = this.kept()?.items ?? [];
    this.storage.set(this.key, { items: [...items.filter((x) => x.id !== id), c], at: this.kept()?.at ?? new Date().toISOString() });
    return c;
  }
}

/** The case's facts an officer may edit offline (sync op `rightsCase.update`, merged field by field on the server). */
export type CaseEdit = Partial<{ employerName: string; place: string; amountClaimed: number | null; description: string }>;

/** Queues an edit of the case, based on the version the phone has; sent with the survey's ops. */
export function queueEdit(outbox: Outbox, c: RightsCaseView, edit: CaseEdit): void {
  outbox.enqueue('rightsCase.update', c.id, { ...edit }, c.version);
}

/** The case with this phone's unsent edits on top, and whether any are waiting. */
export function withPending(outbox: Outbox, c: RightsCaseView): RightsCaseView & { isPending: boolean } {
  const ops = outbox.pendingOps.filter((o) => o.type === 'rightsCase.update' && o.entityId === c.id);
  return ops.reduce<RightsCaseView & { isPending: boolean }>((acc, o) => ({ ...acc, ...(o.data as CaseEdit), isPending: true }), { ...c, isPending: false });
}

/** Edits of this case the server sent back: a field someone else changed meanwhile (never overwritten), or a refusal. */
export function attentionOf(outbox: Outbox, caseId: string): AttentionItem[] {
  return outbox.attention.filter((a) => a.op.type === 'rightsCase.update' && a.op.entityId === caseId);
}
