import type { HouseholdRecord, LaborerRecord } from './outbox';

/**
 * 需要关注: the laborers of the officer's area an officer should look at
 * first, picked from the device's local copy (so it works offline). No React
 * here, so it is unit-tested.
 *
 * - 未就业: employment status `unemployed`; those whose record changed in the
 *   last 30 days (or whose edit is still on the phone) come first, marked new.
 * - 有就业意愿: service needs include 岗位推荐 (`job_referral`), or wanted job
 *   categories / work scopes are filled in. Referrals do not exist yet, so the
 *   list cannot say whether someone was already recommended a job.
 * - 返乡回流: migration status `returned`.
 *
 * A laborer can be in more than one list.
 */

export const RECENT_DAYS = 30;
const DAY_MS = 86_400_000;

export interface AttentionRow {
  laborer: LaborerRecord;
  household: HouseholdRecord | null;
  /** Changed in the last 30 days (or not yet uploaded). */
  isRecent: boolean;
  /** Why the laborer is on this list, in Chinese. */
  reason: string;
}

export interface NeedsAttention {
  unemployed: AttentionRow[];
  wantsWork: AttentionRow[];
  returned: AttentionRow[];
}

function changedAt(l: LaborerRecord): number | null {
  if (!l.updatedAt) return null;
  const t = Date.parse(l.updatedAt);
  return Number.isNaN(t) ? null : t;
}

/** True when the record changed within `RECENT_DAYS` of `now`, or has an edit still on the device. */
export function isRecentlyChanged(l: LaborerRecord, now: Date): boolean {
  if (l.isPending) return true;
  const t = changedAt(l);
  return t !== null && now.getTime() - t <= RECENT_DAYS * DAY_MS;
}

function nonEmpty(v: unknown): boolean {
  return Array.isArray(v) && v.length > 0;
}

/** Whether and why the laborer wants work: 岗位推荐 asked for, or job categories / work scopes given. */
export function wantsWorkReason(l: LaborerRecord): string | null {
  const parts: string[] = [];
  if (Array.isArray(l.serviceNeeds) && (l.serviceNeeds as string[]).includes('job_referral')) parts.push('需要岗位推荐');
  if (nonEmpty(l.wantedJobCategories)) parts.push(`意向工种 ${(l.wantedJobCategories as string[]).length} 项`);
  if (nonEmpty(l.workScopes)) parts.push('已填意向就业地域');
  return parts.length ? parts.join(' · ') : null;
}

/** Newest change first, then by name; records without a time last. */
function byRecency(a: AttentionRow, b: AttentionRow): number {
  if (a.isRecent !== b.isRecent) return a.isRecent ? -1 : 1;
  const ta = changedAt(a.laborer) ?? (a.laborer.isPending ? Infinity : -Infinity);
  const tb = changedAt(b.laborer) ?? (b.laborer.isPending ? Infinity : -Infinity);
  if (ta !== tb) return tb > ta ? 1 : -1;
  return a.laborer.name.localeCompare(b.laborer.name, 'zh');
}

/** The three lists of 需要关注 from the local copy; `regionCode` keeps only households of that village. */
export function selectNeedsAttention(
  laborers: readonly LaborerRecord[],
  households: readonly HouseholdRecord[],
  now: Date,
  regionCode?: string,
): NeedsAttention {
  const hh = new Map(households.map((h) => [h.id, h]));
  const out: NeedsAttention = { unemployed: [], wantsWork: [], returned: [] };
  for (const l of laborers) {
    const household = hh.get(l.householdId) ?? null;
    if (regionCode && household?.regionCode !== regionCode) continue;
    const isRecent = isRecentlyChanged(l, now);
    const row = (reason: string): AttentionRow => ({ laborer: l, household, isRecent, reason });
    if (l.employmentStatus === 'unemployed') out.unemployed.push(row(isRecent ? `未就业 · 近${RECENT_DAYS}天内有登记或修改` : '未就业（有劳动能力）'));
    const want = wantsWorkReason(l);
    if (want) out.wantsWork.push(row(want));
    if (l.migrationStatus === 'returned') out.returned.push(row(l.returnedAt ? `${String(l.returnedAt)} 返乡` : '返乡回流'));
  }
  out.unemployed.sort(byRecency);
  out.wantsWork.sort(byRecency);
  out.returned.sort((a, b) => String(b.laborer.returnedAt ?? '').localeCompare(String(a.laborer.returnedAt ?? '')) || byRecency(a, b));
  return out;
}
