import type { DataSource } from 'typeorm';
import type { RequestContext } from '../../access/request-context';
import { PersonalData } from '../../access/personal-data';
import type { PiiCipher } from '../../crypto/pii';
import { fieldError, notFound } from '../../errors';
import { recordAudit } from '../audit/audit.service';
import { Household } from './household.entity';
import { Laborer } from './laborer.entity';
import { RecordChange } from './record-change.entity';
import { householdView, ID_NUMBER_PURPOSE, laborerView, PhoneShown, phonesInBulk, showPhone, visitView } from './survey.views';
import { Visit } from './visit.entity';

/**
 * Reading survey records one at a time: a household with its members and
 * visits, a laborer's full record (an audited read), the history of changes.
 * Writes come only through sync, so offline and online edits share one path.
 */
export class SurveyService {
  constructor(
    private readonly ds: DataSource,
    private readonly cipher: PiiCipher,
  ) {}

  async household(ctx: RequestContext, id: string) {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const h = await pd.one(Household, id, '户');
    const [members, visits] = await Promise.all([
      pd.select(Laborer, 'l').andWhere('l.household_id = :id', { id }).orderBy('l.created_at').getMany(),
      pd.select(Visit, 'v').andWhere('v.household_id = :id', { id }).orderBy('v.visited_at', 'DESC').take(100).getMany(),
    ]);
    const now = new Date();
    const phone = phonesInBulk(ctx.actor.role);
    // A read of several people at once: audited with counts, never values.
    await recordAudit(this.ds.manager, ctx, { action: 'household.read', entityType: 'household', entityId: id, regionCode: h.regionCode, detail: { members: members.length, visits: visits.length, phones: phone } });
    return { ...householdView(h, phone), members: members.map((l) => laborerView(l, this.cipher, { phone, now })), visits: visits.map(visitView) };
  }

  /** One person's full record, the ID number masked; every read is audited. */
  async laborer(ctx: RequestContext, id: string) {
    const l = await PersonalData.for(this.ds.manager, ctx).one(Laborer, id, '劳动力');
    // One person's record, each read audited: the phone in full, to call them.
    const view = laborerView(l, this.cipher, { phone: 'full' });
    await recordAudit(this.ds.manager, ctx, { action: 'laborer.read', entityType: 'laborer', entityId: id, regionCode: l.regionCode });
    return view;
  }

  /**
   * The full ID number, for a reason the caller writes: the route's permission (idNumber.reveal) lets only
   * admin and staff here, the area rule finds the person, and the reason is kept in the reveal's own audit event.
   */
  async revealIdNumber(ctx: RequestContext, id: string, reason: string | undefined): Promise<{ idNumber: string }> {
    const why = checkRevealReason(reason);
    const l = await PersonalData.for(this.ds.manager, ctx).one(Laborer, id, '劳动力');
    await recordAudit(this.ds.manager, ctx, { action: 'laborer.reveal_id_number', entityType: 'laborer', entityId: id, regionCode: l.regionCode, detail: { reason: why } });
    return { idNumber: this.cipher.decrypt(l.idNumberEnc, ID_NUMBER_PURPOSE) };
  }

  /** The record's versions; the record itself must be in the caller's area now (a person who moved away is 404). */
  async history(ctx: RequestContext, entityType: 'household' | 'laborer', id: string) {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const parent = pd.select<Household | Laborer>(entityType === 'household' ? Household : Laborer, 'p');
    const found = await parent.select('p.region_code', 'region_code').andWhere('p.id = :id', { id }).getRawOne<{ region_code: string }>();
    if (!found) throw notFound('记录');
    const rows = await pd
      .select(RecordChange, 'c')
      .andWhere('c.entity_type = :entityType AND c.entity_id = :id', { entityType, id })
      .orderBy('c.version', 'ASC')
      .getMany();
    if (!rows.length) throw notFound('记录');
    const phone = phonesInBulk(ctx.actor.role);
    await recordAudit(this.ds.manager, ctx, { action: `${entityType}.read_history`, entityType, entityId: id, regionCode: found.region_code, detail: { versions: rows.length, phones: phone } });
    return { items: rows.map((c) => ({ version: c.version, at: c.at.toISOString(), actorId: c.actorId, deviceId: c.deviceId, changes: historyChanges(c.changes, phone) })) };
  }
}

const REVEAL_REASON_MIN = 2;
const REVEAL_REASON_MAX = 200;

/**
 * The reason of a reveal, trimmed: 2-200 characters, and no run of 11 or more digits (a phone or ID number
 * would then sit in the audit log, which keeps only codes, counts and this reason).
 */
export function checkRevealReason(reason: string | undefined): string {
  const why = (reason ?? '').trim().replace(/\s+/g, ' ');
  const labels = { reason: '查看理由' };
  if (why.length < REVEAL_REASON_MIN) throw fieldError({ reason: `请填写查看理由，至少 ${REVEAL_REASON_MIN} 个字` }, labels);
  if (why.length > REVEAL_REASON_MAX) throw fieldError({ reason: `查看理由不能超过 ${REVEAL_REASON_MAX} 个字` }, labels);
  if (/\d{11,}/.test(why)) throw fieldError({ reason: '查看理由中不能写身份证号、手机号等号码' }, labels);
  return why;
}

/** A version's changes as the viewer may see them: phone numbers (old and new) masked unless the role gets them in bulk. */
function historyChanges(changes: RecordChange['changes'], phone: PhoneShown): RecordChange['changes'] {
  if (!changes.phone || phone === 'full') return changes;
  const p = changes.phone;
  const mask = (v: unknown) => (typeof v === 'string' ? showPhone(v, phone) : v);
  return { ...changes, phone: { ...('from' in p ? { from: mask(p.from) } : {}), ...('to' in p ? { to: mask(p.to) } : {}) } };
}
