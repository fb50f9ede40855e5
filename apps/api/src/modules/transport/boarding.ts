import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../access/request-context';
import { invalid, reject } from '../sync/sync-results';
import type { SyncOpInput, SyncOpResult } from '../sync/sync.types';
import { tripAccess } from './transport-access';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How far ahead of the server's clock a device's check-in time may be (a phone's clock off by a little). */
const CLOCK_SKEW_MS = 5 * 60_000;

/** `08:12` in China time, for the "checked in by whom and when" answers. */
export function chinaTime(d: Date): string {
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/**
 * The sync op `boarding.checkin` (offline boarding, the escort's phone): `entityId` is the passenger (a roster
 * row), `data` { tripId, at (the device's time of the scan), method 'scan' | 'name', checkCode (for a scan) }.
 * Applied under the sync batch's transaction (sync.service.ts calls it in a savepoint; the opId was claimed
 * there, so a replay answers `duplicate`). The passenger's row is locked: of two escorts who checked the same
 * person in, the first to arrive boards them and the second is answered ALREADY_EXISTS with who and when.
 */
export async function checkInPassenger(m: EntityManager, ctx: RequestContext, op: SyncOpInput, regionOf: Map<string, string>): Promise<SyncOpResult> {
  const d = op.data;
  const errors: Record<string, string> = {};
  if (typeof d.tripId !== 'string' || !UUID.test(d.tripId)) errors.tripId = '车次编号格式不正确';
  const at = typeof d.at === 'string' ? new Date(d.at) : null;
  if (!at || Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(String(d.at))) errors.at = '核验时间须为 ISO 日期时间';
  if (d.method !== 'scan' && d.method !== 'name') errors.method = '核验方式须为 scan（扫码）或 name（按姓名）';
  if (d.method === 'scan' && (typeof d.checkCode !== 'string' || !d.checkCode)) errors.checkCode = '扫码核验须带核验码';
  if (Object.keys(errors).length) return invalid(op, errors);

  const [p]: Array<{ id: string; trip_id: string; check_code: string; boarded_at: Date | null; boarded_by_name: string | null; region_code: string; status: string; escort_ids: string[] }> = await m.query(
    `SELECT p.id, p.trip_id, p.check_code, p.boarded_at, a.name AS boarded_by_name, t.region_code, t.status, t.escort_ids
     FROM trip_passengers p JOIN trips t ON t.id = p.trip_id LEFT JOIN accounts a ON a.id = p.boarded_by
     WHERE p.id = $1 FOR UPDATE OF p`,
    [op.entityId],
  );
  if (!p) return reject(op, 'NOT_FOUND', '此人已不在本车次的乘车名单中', false);
  if (p.trip_id !== d.tripId) return invalid(op, { tripId: '此人不在这个车次的名单中' });
  const access = tripAccess(ctx, { regionCode: p.region_code, escortIds: p.escort_ids });
  if (!access.wholeRoster) return reject(op, 'OUT_OF_AREA', '只有本车次的护送员或管理车次的工作人员可以核验登车', false);
  if (p.status === 'cancelled') return invalid(op, { tripId: '车次已取消' });
  if (d.method === 'scan' && d.checkCode !== p.check_code) return invalid(op, { checkCode: '核验码不符：不是此人的乘车码' });
  if (p.boarded_at) return alreadyBoarded(op, p.boarded_by_name, p.boarded_at);

  const when = new Date(Math.min(at!.getTime(), Date.now() + CLOCK_SKEW_MS));
  const updated: Array<{ id: string }> = await m.query(
    `UPDATE trip_passengers SET boarded_at = $2, boarded_by = $3, boarded_op_id = $4 WHERE id = $1 AND boarded_at IS NULL RETURNING id`,
    [p.id, when, ctx.actor.accountId, op.opId],
  );
  if (!updated.length) return reject(op, 'ALREADY_EXISTS', '此人已核验登车', false);
  // The first check-in starts boarding, for the escort who was offline when they began.
  if (p.status === 'open') await m.query(`UPDATE trips SET status = 'boarding', updated_at = now(), version = version + 1 WHERE id = $1 AND status = 'open'`, [p.trip_id]);
  regionOf.set(op.opId, p.region_code);
  return { opId: op.opId, status: 'applied', entityId: op.entityId, version: 1 };
}

function alreadyBoarded(op: SyncOpInput, by: string | null, at: Date): SyncOpResult {
  const who = by ?? '他人';
  return reject(op, 'ALREADY_EXISTS', `此人已由${who}于${chinaTime(at)}核验登车`, false, { boardedBy: who, boardedAt: at.toISOString() });
}
