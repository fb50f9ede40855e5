import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { chinaDate, subtractWorkingDays } from '@jobbridge/shared';
import { contextFor } from '../access/request-context';
import { Account } from '../modules/accounts/account.entity';

export const DEMO_RIGHTS_EMPLOYER = '东莞电子厂';

/**
 * A labor-rights case for the demo (维权): 农建华 of officer1's village, surveyed with the service need 劳动维权,
 * complains that 东莞电子厂 owes him three months' wages. officer1 opened the wage-arrears complaint from the
 * survey three working days before the seed's today, so its 5-working-day deadline to accept falls two working
 * days after today: inside the 3-working-day warning. The township's staff account (tiandeng-town) handles it,
 * and the alert sweep runs once, so the alert is in tiandeng-town's inbox at once. Entered through the sync and
 * rights services; only once (a case against that employer in the village already there is left as it is).
 */
export async function seedDemoRights(app: FastifyInstance): Promise<void> {
  const accounts = app.db.getRepository(Account);
  const officer = await accounts.findOneBy({ username: 'officer1' });
  const handler = await accounts.findOneBy({ username: 'tiandeng-town' });
  if (!officer?.regionCode || !handler?.regionCode) return;
  const [exists] = await app.db.query('SELECT 1 FROM rights_cases WHERE region_code = $1 AND employer_name = $2', [officer.regionCode, DEMO_RIGHTS_EMPLOYER]);
  if (exists) return;
  const [laborer]: Array<{ id: string; version: number }> = await app.db.query('SELECT id, version FROM laborers WHERE region_code = $1 AND name = $2', [officer.regionCode, '农建华']);
  if (!laborer) return;
  const officerCtx = contextFor({ accountId: officer.id, role: 'officer', regionCode: officer.regionCode, sessionId: 'demo-seed' }, '127.0.0.1', 'demo-seed');
  const handlerCtx = contextFor({ accountId: handler.id, role: 'staff', regionCode: handler.regionCode, sessionId: 'demo-seed' }, '127.0.0.1', 'demo-seed');
  // The survey records the need, as the officer's phone would.
  await app.syncService.apply(officerCtx, 'demo-seed-rights', [{ opId: crypto.randomUUID(), type: 'laborer.update', entityId: laborer.id, baseVersion: laborer.version, data: { serviceNeeds: ['rights_protection'] } }]);
  const cal = await app.rightsService.calendar();
  const opened = await app.rightsService.open(officerCtx, {
    kind: 'wage_arrears',
    laborerId: laborer.id,
    employerName: DEMO_RIGHTS_EMPLOYER,
    place: '广东省东莞市长安镇',
    amountClaimed: 1_560_000,
    description: '2026 年 8 月至 10 月三个月工资共 15600 元未发，厂方称资金周转困难，多次催要未果。',
    openedOn: subtractWorkingDays(chinaDate(new Date()), 3, cal),
  });
  await app.rightsService.assign(handlerCtx, opened.id, handler.id);
  await app.rightsService.sweepAlerts();
}
