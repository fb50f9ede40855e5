import type { RightsCaseKind, RightsCaseView, RightsStatus } from '@jobbridge/shared';
import { request } from '../../../services/api';
import type { AttentionItem, Outbox } from '../../../services/outbox';
import { taroStorage, type KeyValueStorage } from '../../../services/storage';

/** What a worker or an officer fills in; the amount in yuan as typed (converted to fen on sending). */
export interface HelpForm {
  kind: RightsCaseKind | null;
  employerName: string;
  place: string;
  amountYuan: string;
  description: string;
}

export const EMPTY_HELP: HelpForm = { kind: null, employerName: '', place: '', amountYuan: '', description: '' };

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
  return { kind: f.kind, employerName: f.employerName.trim(), place: f.place.trim(), amountClaimed: yuanToFen(f.amountYuan), description: f.description.trim() };
}

// ---- the worker ----

export const submitHelp = (f: HelpForm) => request<{ id: string; status: RightsStatus; dueDate: string | null }>({ method: 'POST', path: '/me/rights-cases', data: body(f) });
export const myCases = () => request<{ items: RightsCaseView[] }>({ path: '/me/rights-cases' });

// ---- the officer ----

export const openCase = (laborerId: string, f: HelpForm) => request<{ id: string; dueDate: string | null }>({ method: 'POST', path: '/rights/cases', data: { ...body(f), laborerId } });

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
