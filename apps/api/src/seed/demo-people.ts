import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { idNumberCheckChar } from '@jobbridge/shared';
import { contextFor } from '../access/request-context';
import { Account } from '../modules/accounts/account.entity';
import { LocalWeChatClient } from '../wechat/wechat-client';

/** A stable UUID from a name, so the demo households are the same on every start. */
function demoId(name: string): string {
  const h = crypto.createHash('sha256').update(`jobbridge-demo:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function idNumber(birth: string, seq: number): string {
  const first17 = `451425${birth}${String(seq).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

const BASE = {
  skills: [] as string[],
  certificates: [] as string[],
  isHardToEmploy: false,
  migrationStatus: 'none',
  serviceNeeds: ['job_referral'],
  preferredPlaces: [] as string[],
  needsBoardLodging: false,
  trainingWanted: [] as string[],
  education: 'junior',
  health: 'healthy',
};

/**
 * A few households of officer1's village, surveyed through the same sync
 * path a phone uses (so matching runs for them in the background as for any
 * survey), with the three demo workers bound to their records. The three
 * asked for training (培训意愿: 电工/焊工, 母婴护理/养老护理, 电商), so the
 * county's 培训需求清单 has people in it. Only on the first demo start: once
 * the village has households nothing is added.
 */
export async function seedDemoPeople(app: FastifyInstance): Promise<void> {
  const accounts = app.db.getRepository(Account);
  const officer = await accounts.findOneBy({ username: 'officer1' });
  if (!officer?.regionCode) return;
  const [{ n }] = await app.db.query('SELECT count(*)::int AS n FROM households WHERE region_code = $1', [officer.regionCode]);
  if (n > 0) return;
  const village = officer.regionCode;
  const h1 = demoId('household-1');
  const h2 = demoId('household-2');
  const h3 = demoId('household-3');
  const people = [
    { key: 'demo-worker-1', householdId: h1, name: '黄志强', idNumber: idNumber('19880315', 11), relationToHead: 'self', wantedJobCategories: ['manufacturing.electronics_assembly', 'manufacturing.general_worker'], workScopes: ['local', 'out_of_province'], needsBoardLodging: true, minMonthlyWage: 3500, employmentStatus: 'unemployed', migrationStatus: 'returned', returnedAt: '2026-02-10', returnReason: 'job_lost', serviceNeeds: ['job_referral', 'skills_training'], trainingWanted: ['electrician', 'welder'] },
    { key: 'demo-worker-2', householdId: h2, name: '农丽芳', idNumber: idNumber('19900612', 22), relationToHead: 'spouse', certificates: ['母婴护理证'], skills: ['育婴'], wantedJobCategories: ['domestic.maternity', 'domestic.childcare'], workScopes: ['local', 'in_province'], minMonthlyWage: 4000, employmentStatus: 'unemployed', serviceNeeds: ['job_referral', 'skills_training'], trainingWanted: ['maternity', 'elderly_care'] },
    { key: 'demo-worker-3', householdId: h3, name: '马文杰', idNumber: idNumber('20010105', 31), relationToHead: 'child', education: 'bachelor', wantedJobCategories: ['public_sector.auxiliary', 'office.clerk'], workScopes: ['local'], employmentStatus: 'unemployed', serviceNeeds: ['job_referral', 'skills_training'], trainingWanted: ['ecommerce'] },
    { key: null, householdId: h1, name: '黄德明', idNumber: idNumber('19620820', 13), relationToHead: 'parent', health: 'disabled', disabilityType: 'physical', disabilityGrade: 3, isHardToEmploy: true, wantedJobCategories: [], workScopes: ['local'], employmentStatus: 'unemployed' },
    { key: null, householdId: h2, name: '农建华', idNumber: idNumber('19870302', 23), relationToHead: 'self', employmentStatus: 'out_of_province', employer: '东莞电子厂', workPlace: '广东省东莞市', employedSince: '2024-03-01', monthlyIncome: 5200, migrationStatus: 'away', awayPlace: '广东省东莞市', awaySince: '2024-02-20', serviceNeeds: ['none'], wantedJobCategories: [], workScopes: [] },
  ];
  const households = [
    { id: h1, address: '那隆屯 12 号', headName: '黄志强', povertyStatus: 'lifted' },
    { id: h2, address: '那隆屯 15 号', headName: '农建华', povertyStatus: 'monitored' },
    { id: h3, address: '弄赖屯 3 号', headName: '马德胜', povertyStatus: 'lifted' },
  ];
  const ops = [
    ...households.map((h) => ({ opId: demoId(`op-${h.id}`), type: 'household.create' as const, entityId: h.id, data: { regionCode: village, address: h.address, headName: h.headName, povertyStatus: h.povertyStatus } })),
    ...people.map(({ key: _key, ...p }) => ({ opId: demoId(`op-${p.name}`), type: 'laborer.create' as const, entityId: demoId(`laborer-${p.name}`), data: { ...BASE, ...p } })),
  ];
  const ctx = contextFor({ accountId: officer.id, role: 'officer', regionCode: village, sessionId: 'demo-seed' }, '127.0.0.1', 'demo-seed');
  const results = await app.syncService.apply(ctx, 'demo-seed', ops);
  const refused = results.filter((r) => r.status !== 'applied' && r.status !== 'duplicate');
  if (refused.length) throw new Error(`demo people refused: ${JSON.stringify(refused)}`);
  for (const p of people) {
    if (!p.key) continue;
    const worker = await accounts.findOneBy({ wechatOpenid: LocalWeChatClient.openidFor(p.key) });
    if (worker) await app.db.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [worker.id, demoId(`laborer-${p.name}`)]);
  }
}

/**
 * grid1's group chats (issue 11), made through the chat service as grid1: the
 * village's community group with the demo workers and officer1 and a few
 * messages (a notice, a job card from the supply list), and an employer group.
 * Only when grid1 has no group yet.
 */
export async function seedDemoChats(app: FastifyInstance): Promise<void> {
  const accounts = app.db.getRepository(Account);
  const grid = await accounts.findOneBy({ username: 'grid1' });
  if (!grid?.regionCode) return;
  const [{ n }] = await app.db.query('SELECT count(*)::int AS n FROM chat_groups WHERE created_by = $1', [grid.id]);
  if (n > 0) return;
  const ctx = contextFor({ accountId: grid.id, role: 'grid_leader', regionCode: grid.regionCode, sessionId: 'demo-seed' }, '127.0.0.1', 'demo-seed');
  const chat = app.chatService;
  const community = await chat.createGroup(ctx, { name: '那隆屯就业群', kind: 'community', regionCode: grid.regionCode });
  const people = (await chat.suggested(ctx, community.id)).items;
  if (people.length) await chat.addMembers(ctx, community.id, people.map((p) => p.accountId));
  const say = (groupId: string, kind: 'text' | 'notice' | 'job', text?: string, postingId?: string) =>
    chat.send(ctx, groupId, { clientId: demoId(`chat-${groupId}-${text ?? postingId}`), kind, text, postingId });
  await say(community.id, 'notice', '本群用于发布就业岗位、技能培训和政策通知。找工作有困难，随时在群里说，或私下找网格长。');
  await say(community.id, 'text', '大家好，我是网格长何美玲。这周镇上有招聘会，想去的在群里说一声。');
  const [posting]: Array<{ id: string }> = await app.db.query(`SELECT id FROM postings WHERE status = 'open' AND region_code LIKE '451425%' ORDER BY published_at DESC, id LIMIT 1`);
  if (posting) await say(community.id, 'job', undefined, posting.id);
  const employer = await chat.createGroup(ctx, { name: '天等镇企业对接群', kind: 'employer', regionCode: grid.regionCode });
  await say(employer.id, 'notice', '企业对接群：各企业联络员在此发布用工需求，网格长推送本网格劳动力的求职信息。');
  // The employer contacts of the county's list (demo-employer-1), from the grid leader's suggested list.
  const contacts = (await chat.suggested(ctx, employer.id)).items.filter((p) => p.accountRole === 'employer_contact');
  if (contacts.length) {
    await chat.addMembers(ctx, employer.id, contacts.map((p) => p.accountId));
    const c = contacts[0];
    const contactCtx = contextFor({ accountId: c.accountId, role: 'employer_contact', regionCode: null, sessionId: 'demo-seed' }, '127.0.0.1', 'demo-seed');
    await chat.send(contactCtx, employer.id, { clientId: demoId(`chat-${employer.id}-contact`), kind: 'text', text: '大家好，我是华粤电子的梁文静。厂里急招注塑机操作工 20 人，包吃住，已在小程序提交岗位，等人社局审核。' });
  }
}
