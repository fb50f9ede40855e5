import type { DataSource } from 'typeorm';
import { can } from '@jobbridge/shared';
import type { RequestContext } from '../../access/request-context';
import { PersonalData } from '../../access/personal-data';
import type { PiiCipher } from '../../crypto/pii';
import { AppError, notFound } from '../../errors';
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

  /** One person's full record; every read is audited, and so is every reveal of the full ID number. */
  async laborer(ctx: RequestContext, id: string, reveal: boolean) {
    if (reveal && !can(ctx.actor.role, 'idNumber.reveal')) throw new AppError('FORBIDDEN', '本账号的角色不能查看完整身份证号', { reveal: '无权查看完整身份证号' });
    const l = await PersonalData.for(this.ds.manager, ctx).one(Laborer, id, '劳动力');
    // One person's record, each read audited: the phone in full, to call them.
    const view = laborerView(l, this.cipher, { phone: 'full' });
    await recordAudit(this.ds.manager, ctx, { action: reveal ? 'laborer.reveal_id_number' : 'laborer.read', entityType: 'laborer', entityId: id, regionCode: l.regionCode });
    return reveal ? { ...view, idNumber: this.cipher.decrypt(l.idNumberEnc, ID_NUMBER_PURPOSE) } : view;
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

/** A version's changes as the viewer may see them: phone numbers (old and new) masked unless the role gets them in bulk. */
function historyChanges(changes: RecordChange['changes'], phone: PhoneShown): RecordChange['changes'] {
  if (!changes.phone || phone === 'full') return changes;
  const p = changes.phone;
  const mask = (v: unknown) => (typeof v === 'string' ? showPhone(v, phone) : v);
  return { ...changes, phone: { ...('from' in p ? { from: mask(p.from) } : {}), ...('to' in p ? { to: mask(p.to) } : {}) } };
}
