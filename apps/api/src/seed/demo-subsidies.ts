import type { FastifyInstance } from 'fastify';
import { chinaDate } from '@jobbridge/shared';
import { contextFor } from '../access/request-context';
import { Account } from '../modules/accounts/account.entity';

/** The shape of Gansu's 2024 one-time transport subsidy, as the demo county's rule. */
const TRANSPORT_RULE = {
  conditions: { all: [{ field: 'povertyRelieved', eq: true }, { field: 'monthsEmployedAway', gte: 3 }] },
  tiers: [
    { when: { field: 'destination', eq: 'out_of_province' }, amountFen: 60000, label: '省外务工' },
    { when: { field: 'destination', eq: 'out_of_city' }, amountFen: 30000, label: '省内市外务工' },
    { when: { field: 'destination', eq: 'out_of_county' }, amountFen: 20000, label: '市内县外务工' },
  ],
};

/**
 * A transport-subsidy cycle in public notice (公示), made through the
 * subsidies service as the county's staff: the rule, an eligibility run over
 * officer1's village for this year, the cycle, and its notice from two days
 * ago to five days on. Only when the county has no subsidy rule yet.
 */
export async function seedDemoSubsidies(app: FastifyInstance): Promise<void> {
  const accounts = app.db.getRepository(Account);
  const staff = await accounts.findOneBy({ username: 'tiandeng-staff' });
  const officer = await accounts.findOneBy({ username: 'officer1' });
  if (!staff?.regionCode || !officer?.regionCode) return;
  const [{ n }] = await app.db.query('SELECT count(*)::int AS n FROM subsidy_rules WHERE region_code = $1', [staff.regionCode]);
  if (n > 0) return;
  const ctx = contextFor({ accountId: staff.id, role: 'staff', regionCode: staff.regionCode, sessionId: 'demo-seed' }, '127.0.0.1', 'demo-seed');
  const svc = app.subsidiesService;
  const year = chinaDate(new Date()).slice(0, 4);
  const rule = await svc.createRule(ctx, { subsidyType: 'transport', regionCode: staff.regionCode, name: '脱贫劳动力一次性交通补贴', effectiveFrom: '2024-01-01', data: TRANSPORT_RULE });
  const run = await svc.createRun(ctx, { ruleId: rule.id, regionCode: officer.regionCode, period: year });
  const cycle = await svc.createCycle(ctx, { runId: run.id, title: `${year}年一次性交通补贴（第一批）` });
  const day = (offset: number) => chinaDate(new Date(Date.now() + offset * 86_400_000));
  await svc.transition(ctx, cycle.id, 'notice', { noticeStart: day(-2), noticeEnd: day(5) });
}
