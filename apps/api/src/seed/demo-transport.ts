import type { FastifyInstance } from 'fastify';
import { contextFor } from '../access/request-context';
import { Account } from '../modules/accounts/account.entity';
import { DEMO_EMPLOYER } from './demo-jobs';

export const DEMO_TRIP_TITLE = '天等—江门 节后返岗专车（演示）';

/**
 * A chartered trip to Jiangmen (江门) for the demo: from Tiandeng to 华粤电子 (the demo employer contact's
 * factory), escorted by `escort1`, with the surveyed people of officer1's village on its roster (the demo
 * workers among them: they see their seat and boarding code). Entered through the transport service as the
 * county's staff; only once (a trip of that title already there is left as it is).
 */
export async function seedDemoTransport(app: FastifyInstance): Promise<void> {
  const accounts = app.db.getRepository(Account);
  const staff = await accounts.findOneBy({ username: 'tiandeng-staff' });
  const escort = await accounts.findOneBy({ username: 'escort1' });
  const officer = await accounts.findOneBy({ username: 'officer1' });
  if (!staff?.regionCode || !escort || !officer?.regionCode) return;
  const [exists] = await app.db.query('SELECT 1 FROM trips WHERE region_code = $1 AND title = $2', [staff.regionCode, DEMO_TRIP_TITLE]);
  if (exists) return;
  const [employer]: Array<{ id: string }> = await app.db.query('SELECT id FROM employers WHERE region_code = $1 AND name = $2', [staff.regionCode, DEMO_EMPLOYER]);
  if (!employer) return;
  const ctx = contextFor({ accountId: staff.id, role: 'staff', regionCode: staff.regionCode, sessionId: 'demo-seed' }, '127.0.0.1', 'demo-seed');
  // Three days from now at 07:00 China time (23:00 UTC the day before).
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + 3);
  day.setUTCHours(23, 0, 0, 0);
  const at = (minutes: number) => new Date(day.getTime() + minutes * 60_000).toISOString();
  const trip = await app.transportService.create(ctx, {
    title: DEMO_TRIP_TITLE,
    direction: 'outbound',
    departureAt: at(0),
    employerIds: [employer.id],
    partnerRegionCode: '4407',
    destination: '广东省江门市蓬江区棠下镇堡棠路（华粤电子厂区）',
    vehicle: '桂F·D3618（45 座大巴）',
    seats: 45,
    drivers: [{ name: '黄师傅', phone: '13907714521' }],
    escortIds: [escort.id],
    pickupPoints: [
      { name: '天等镇政府门口', time: at(0) },
      { name: '天等县汽车总站', time: at(30) },
    ],
  });
  const laborers: Array<{ id: string }> = await app.db.query('SELECT id FROM laborers WHERE region_code = $1 AND NOT is_hard_to_employ ORDER BY name', [officer.regionCode]);
  for (const l of laborers) await app.transportService.addPassenger(ctx, trip.id, { laborerId: l.id, employerId: employer.id }, 'applied');
}
