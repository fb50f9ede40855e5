import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { contextFor } from '../access/request-context';
import { Account } from '../modules/accounts/account.entity';

export const DEMO_COURSE_TITLE = '低压电工订单培训班（演示）';

/**
 * A training course for the demo: electricians for the county, enrolled from the needs list's people of
 * officer1's village (each agreed at the door), the first of them with three of four sessions attended and
 * a passing score (one session from the certificate: record it in the mini-program and the certificate is
 * issued). Entered through the training and sync services; only once.
 */
export async function seedDemoTraining(app: FastifyInstance): Promise<void> {
  const accounts = app.db.getRepository(Account);
  const staff = await accounts.findOneBy({ username: 'tiandeng-staff' });
  const officer = await accounts.findOneBy({ username: 'officer1' });
  if (!staff?.regionCode || !officer?.regionCode) return;
  const [exists] = await app.db.query('SELECT 1 FROM courses WHERE region_code = $1 AND title = $2', [staff.regionCode, DEMO_COURSE_TITLE]);
  if (exists) return;
  const staffCtx = contextFor({ accountId: staff.id, role: 'staff', regionCode: staff.regionCode, sessionId: 'demo-seed' }, '127.0.0.1', 'demo-seed');
  const officerCtx = contextFor({ accountId: officer.id, role: 'officer', regionCode: officer.regionCode, sessionId: 'demo-seed' }, '127.0.0.1', 'demo-seed');
  const start = new Date();
  start.setUTCDate(start.getUTCDate() - 7);
  const end = new Date(start.getTime() + 21 * 86_400_000);
  const course = await app.trainingService.createCourse(staffCtx, {
    regionCode: staff.regionCode,
    kind: 'electrician',
    title: DEMO_COURSE_TITLE,
    provider: '天等县职业技能培训中心',
    place: '天等县职业技术学校实训楼',
    startsOn: start.toISOString().slice(0, 10),
    endsOn: end.toISOString().slice(0, 10),
    sessions: 4,
    capacity: 30,
    teachers: ['农师傅', '黄老师'],
    minAttendance: 1,
    assessmentRequired: true,
    passMark: 60,
    certificateName: '低压电工作业培训合格证',
  });
  const laborers: Array<{ id: string }> = await app.db.query('SELECT id FROM laborers WHERE region_code = $1 ORDER BY name LIMIT 6', [officer.regionCode]);
  const enrolled = [];
  for (const l of laborers) enrolled.push(await app.trainingService.enroll(officerCtx, course.id, { laborerId: l.id, consent: true }));
  if (!enrolled.length) return;
  const near = enrolled[0];
  await app.syncService.apply(officerCtx, 'demo-seed-training', [1, 2, 3].map((sessionNo) => ({ opId: crypto.randomUUID(), type: 'attendance.record', entityId: crypto.randomUUID(), data: { enrollmentId: near.id, sessionNo, present: true } })));
  await app.trainingService.assess(staffCtx, near.id, 82);
}
