import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { EmployerData, PostingData, chinaDate, regionAncestry, validateEmployer, validatePosting } from '@jobbridge/shared';
import { insertEmployer, insertPostings, regionPaths, snapshotIssue } from '../modules/jobs/jobs.service';
import { LocalWeChatClient } from '../wechat/wechat-client';

/**
 * The demo county's job supply list (岗位供给清单): what Tiandeng's labour
 * bureau would really carry. Local jobs that suit people who cannot go far
 * (an assistance workshop with hand work that suits physical, hearing and
 * speech disabilities, public-welfare posts), care jobs in the county town,
 * and east-west cooperation factories in the Guangdong partner cities
 * (Jiangmen, Shenzhen, Dongguan) with board and lodging; the pairs
 * 451425 ↔ 4407 Jiangmen and 451425 ↔ 4403 Shenzhen; and this month's issue.
 */

const COUNTY = '451425';
const COUNTY_NAME = '天等县';

/**
 * Partner-city districts the demo names. The regions table may hold only the
 * seed counties (Pengjiang 440703 among them); a code not imported falls back
 * to its nearest imported ancestor (Guangdong, 44), and the work place keeps
 * its full name. Import these to have them exactly.
 */
export const DEMO_JOB_REGION_PREFIXES = ['440306', '441900', '450103'];

type DemoEmployer = Omit<EmployerData, 'regionCode'> & { postings: Array<Omit<PostingData, 'validFrom' | 'validTo'> & { months: number }> };

const EMPLOYERS: DemoEmployer[] = [
  {
    name: '天等县壮乡指尖帮扶车间',
    creditCode: '92451425MA5N0JB00K',
    industry: '手工制造（来料加工）',
    locationRegionCode: '451425100201', // 天等镇百灵村
    address: '天等镇百灵村那隆屯村部旁',
    contactName: '农秀英',
    contactPhone: '13877161208',
    isPartnerRegion: false,
    postings: [
      { title: '手工串珠饰品加工', categoryCode: 'manufacturing.workshop', workRegionCode: '451425100201', workPlaceName: '天等县天等镇百灵村帮扶车间', wageMin: 1800, wageMax: 2800, headcount: 30, ageMin: 18, ageMax: 65, suitsDisabilities: ['physical', 'hearing', 'speech'], skills: ['手工'], description: '计件工资，多劳多得；材料可领回家加工，适合照顾老人小孩的妇女和行动不便人员。', months: 6 },
      { title: '发制品(假发)加工工', categoryCode: 'manufacturing.workshop', workRegionCode: '451425100201', workPlaceName: '天等县天等镇百灵村帮扶车间', wageMin: 2000, wageMax: 3200, headcount: 20, ageMin: 18, ageMax: 60, suitsDisabilities: ['hearing', 'speech'], description: '坐姿作业，免费岗前培训，熟练后计件。', months: 6 },
      { title: '车间质检员', categoryCode: 'manufacturing.quality_inspection', workRegionCode: '451425100201', workPlaceName: '天等县天等镇百灵村帮扶车间', wageMin: 2500, wageMax: 3200, headcount: 2, ageMin: 20, ageMax: 50, educationMin: 'junior', status: 'filled', months: 3 },
    ],
  },
  {
    name: '天等县乡村公益性岗位管理办公室',
    industry: '公共管理',
    locationRegionCode: COUNTY,
    address: '天等县天等镇人社局大楼二楼',
    contactName: '陆海燕',
    contactPhone: '0771-3522345',
    postings: [
      { title: '村屯保洁员(乡村公益性岗位)', categoryCode: 'public_sector.public_welfare', workRegionCode: '451425100', wageMin: 1000, wageMax: 1200, headcount: 40, ageMin: 18, ageMax: 65, suitsDisabilities: ['physical', 'hearing', 'speech'], description: '优先安置脱贫劳动力和监测对象中的就业困难人员，就近在本村上岗。', months: 6 },
      { title: '生态护林员', categoryCode: 'public_sector.forest_ranger', workRegionCode: '451425103', wageMin: 800, wageMax: 1000, headcount: 25, ageMin: 18, ageMax: 60, description: '巡山护林、森林防火宣传，按片区管护。', months: 6 },
      { title: '乡村道路养护员', categoryCode: 'public_sector.road_maintenance', workRegionCode: '451425101', wageMin: 1200, wageMax: 1500, headcount: 10, ageMin: 18, ageMax: 60, months: 4 },
    ],
  },
  {
    name: '天等县人民医院',
    industry: '医疗卫生',
    locationRegionCode: '451425100',
    address: '天等县天等镇仕民路',
    contactName: '赵丽萍',
    contactPhone: '0771-3521120',
    postings: [
      { title: '住院部护工', categoryCode: 'domestic.hospital_carer', workRegionCode: '451425100', wageMin: 3000, wageMax: 4000, headcount: 8, ageMin: 25, ageMax: 55, boardLodging: true, skills: ['护理'], description: '医院统一培训后上岗，提供员工宿舍和食堂。', months: 4 },
      { title: '医院保洁员', categoryCode: 'security.cleaner', workRegionCode: '451425100', wageMin: 2200, wageMax: 2600, headcount: 6, ageMin: 25, ageMax: 60, suitsDisabilities: ['hearing', 'speech'], months: 4 },
    ],
  },
  {
    name: '天等县中心敬老院',
    industry: '养老服务',
    locationRegionCode: '451425100',
    address: '天等县天等镇城东路',
    contactName: '黄丽华',
    contactPhone: '13907713366',
    postings: [
      { title: '养老护理员', categoryCode: 'domestic.elderly_care', workRegionCode: '451425100', wageMin: 2800, wageMax: 3500, headcount: 6, ageMin: 20, ageMax: 55, boardLodging: true, certificates: ['养老护理员职业技能等级证书'], description: '无证可先上岗，院方组织考证培训。', months: 5 },
      { title: '食堂帮厨', categoryCode: 'catering.kitchen_helper', workRegionCode: '451425100', wageMin: 2300, wageMax: 2800, headcount: 2, ageMin: 20, ageMax: 60, boardLodging: true, months: 5 },
    ],
  },
  {
    name: '江门市蓬江区华粤电子科技有限公司',
    creditCode: '91440703MA4W2E8K08',
    industry: '电子制造',
    locationRegionCode: '440703101', // 棠下镇
    address: '广东省江门市蓬江区棠下镇堡棠路',
    contactName: '陈嘉明',
    contactPhone: '0750-3836688',
    isPartnerRegion: true,
    postings: [
      { title: '电子装配工', categoryCode: 'manufacturing.electronics_assembly', workRegionCode: '440703101', workPlaceName: '广东省江门市蓬江区棠下镇', wageMin: 4500, wageMax: 6000, headcount: 80, ageMin: 18, ageMax: 45, boardLodging: true, isEastWest: true, description: '东西部劳务协作岗位：包吃住，购买五险，天等至江门免费专车接送。', months: 6 },
      { title: 'SMT质检员', categoryCode: 'manufacturing.quality_inspection', workRegionCode: '440703101', workPlaceName: '广东省江门市蓬江区棠下镇', wageMin: 4800, wageMax: 5800, headcount: 10, ageMin: 18, ageMax: 40, educationMin: 'junior', boardLodging: true, isEastWest: true, months: 6 },
      { title: '叉车司机', categoryCode: 'logistics.forklift', workRegionCode: '440703101', workPlaceName: '广东省江门市蓬江区棠下镇', wageMin: 5500, wageMax: 7000, headcount: 3, ageMin: 20, ageMax: 50, certificates: ['叉车证'], boardLodging: true, isEastWest: true, months: 6 },
    ],
  },
  {
    name: '深圳市宝安区鑫达精密制造有限公司',
    creditCode: '91440300MA5F7Q3L0G',
    industry: '五金精密制造',
    locationRegionCode: '440306', // 宝安区
    address: '广东省深圳市宝安区福海街道新和大道',
    contactName: '李志强',
    contactPhone: '0755-27286688',
    isPartnerRegion: true,
    postings: [
      { title: '普工(长白班)', categoryCode: 'manufacturing.general_worker', workRegionCode: '440306', workPlaceName: '广东省深圳市宝安区福海街道', wageMin: 5000, wageMax: 6500, headcount: 120, ageMin: 18, ageMax: 42, boardLodging: true, isEastWest: true, description: '东西部劳务协作岗位：包吃住，月休4天，脱贫劳动力享一次性交通补贴。', months: 6 },
      { title: 'CNC数控操作工', categoryCode: 'tech.cnc', workRegionCode: '440306', workPlaceName: '广东省深圳市宝安区福海街道', wageMin: 6000, wageMax: 8000, headcount: 15, ageMin: 18, ageMax: 40, educationMin: 'junior', skills: ['数控'], boardLodging: true, isEastWest: true, months: 6 },
    ],
  },
  {
    name: '东莞市粤华服装有限公司',
    creditCode: '91441900MA4X6R2N0M',
    industry: '服装制造',
    locationRegionCode: '441900',
    address: '广东省东莞市长安镇乌沙社区',
    contactName: '何美玲',
    contactPhone: '0769-85316688',
    isPartnerRegion: true,
    postings: [
      { title: '服装车缝工', categoryCode: 'manufacturing.garment', workRegionCode: '441900', workPlaceName: '广东省东莞市长安镇', wageMin: 5000, wageMax: 7500, headcount: 60, ageMin: 18, ageMax: 48, skills: ['缝纫'], boardLodging: true, isEastWest: true, description: '计件为主，新手可安排学徒期保底工资。', months: 5 },
      { title: '包装打包工', categoryCode: 'manufacturing.packaging', workRegionCode: '441900', workPlaceName: '广东省东莞市长安镇', wageMin: 4300, wageMax: 5200, headcount: 20, ageMin: 18, ageMax: 50, boardLodging: true, isEastWest: true, months: 5 },
    ],
  },
  {
    name: '天等县巾帼家政服务有限公司',
    creditCode: '91451425MA5KAJ6T0T',
    industry: '家政服务',
    locationRegionCode: '451425100',
    address: '天等县天等镇新城路',
    contactName: '韦春燕',
    contactPhone: '13977162580',
    postings: [
      { title: '月嫂(母婴护理员)', categoryCode: 'domestic.maternity', workRegionCode: '450103', workPlaceName: '广西壮族自治区南宁市青秀区', wageMin: 6000, wageMax: 9000, headcount: 12, ageMin: 25, ageMax: 50, sex: 'female', certificates: ['母婴护理员证'], boardLodging: true, description: '住家服务26天一单，公司免费提供母婴护理培训和考证。', months: 6 },
      { title: '育婴员', categoryCode: 'domestic.childcare', workRegionCode: '451425100', wageMin: 3000, wageMax: 4200, headcount: 8, ageMin: 22, ageMax: 50, sex: 'female', certificates: ['育婴员证'], months: 6 },
      { title: '家政服务员(协作地区)', categoryCode: 'domestic.housekeeper', workRegionCode: '440703', workPlaceName: '广东省江门市蓬江区', wageMin: 4500, wageMax: 5500, headcount: 15, ageMin: 25, ageMax: 55, sex: 'female', boardLodging: true, isEastWest: true, months: 6 },
    ],
  },
];

/** The longest prefix of `code` that the regions table holds. */
function nearest(code: string, existing: Set<string>): string {
  return [...regionAncestry(code)].reverse().find((c) => existing.has(c)) ?? code;
}

/**
 * Seeds Tiandeng's job supply list once: does nothing when the county
 * already has employers. Postings are valid from the start of this month for
 * a few months; writes are not audited (no request) and not queued for
 * matching (the scheduled refresh reaches them).
 */
export async function seedDemoJobs(m: EntityManager, createdBy: string): Promise<void> {
  const [{ exists }] = await m.query(`SELECT EXISTS (SELECT 1 FROM employers WHERE region_code LIKE $1) AS exists`, [`${COUNTY}%`]);
  if (exists) return;

  const codes = EMPLOYERS.flatMap((e) => [e.locationRegionCode, ...e.postings.map((p) => p.workRegionCode)]);
  const existing = new Set<string>();
  for (const [code] of await regionPaths(m, codes.flatMap((c) => regionAncestry(c)))) existing.add(code);
  const places = await regionPaths(m, codes.map((c) => nearest(c, existing)));

  const today = chinaDate(new Date());
  const [year, month] = today.split('-').map(Number);
  /** The last day of the month `n` months from this one. */
  const monthEnd = (n: number) => new Date(Date.UTC(year, month + n, 0)).toISOString().slice(0, 10);
  const validFrom = `${today.slice(0, 7)}-01`;

  for (const { postings, ...e } of EMPLOYERS) {
    const employer: EmployerData = { ...e, regionCode: COUNTY, locationRegionCode: nearest(e.locationRegionCode, existing) };
    const rows = postings.map(({ months, ...p }) => {
      const workRegionCode = nearest(p.workRegionCode, existing);
      return { ...p, workRegionCode, workPlaceName: p.workPlaceName ?? places.get(workRegionCode)!.join(''), validFrom, validTo: monthEnd(months) };
    });
    const problems = [validateEmployer(employer), ...rows.map((r) => validatePosting(r, today))].filter((x) => Object.keys(x).length);
    if (problems.length) throw new Error(`demo job data is invalid (${e.name}): ${JSON.stringify(problems)}`);
    const employerId = await insertEmployer(m, createdBy, employer);
    await insertPostings(m, createdBy, rows.map((r) => ({ ...r, employerId, regionCode: COUNTY })));
  }

  await m.query(
    `INSERT INTO cooperation_pairs (county_code, partner_region_code, note) VALUES ($1, '4407', '天等县—江门市东西部劳务协作'), ($1, '4403', '天等县—深圳市东西部劳务协作') ON CONFLICT DO NOTHING`,
    [COUNTY],
  );
  const period = today.slice(0, 7);
  const [{ issued }] = await m.query('SELECT EXISTS (SELECT 1 FROM posting_issues WHERE region_code = $1 AND period = $2) AS issued', [COUNTY, period]);
  if (!issued) await snapshotIssue(m, { code: COUNTY, name: COUNTY_NAME }, period, createdBy, (qb) => qb);
}

/** The demo employer whose contact is `demo-employer-1` (an east-west partner factory of the county's list). */
export const DEMO_EMPLOYER = '江门市蓬江区华粤电子科技有限公司';

/**
 * `demo-employer-1` as the contact of DEMO_EMPLOYER, as if they had redeemed an invite code from the county's
 * staff (an invite row, used; only a random hash kept), with one proposal waiting for staff. Once.
 */
export async function seedDemoEmployerContact(m: EntityManager, staffId: string): Promise<void> {
  const [contact]: Array<{ id: string }> = await m.query(`SELECT id FROM accounts WHERE wechat_openid = $1 AND role = 'employer_contact'`, [LocalWeChatClient.openidFor('demo-employer-1')]);
  const [employer]: Array<{ id: string }> = await m.query('SELECT id FROM employers WHERE region_code = $1 AND name = $2', [COUNTY, DEMO_EMPLOYER]);
  if (!contact || !employer) return;
  const [linked] = await m.query('SELECT 1 FROM employer_contacts WHERE account_id = $1', [contact.id]);
  if (linked) return;
  const [invite]: Array<{ id: string }> = await m.query(
    `INSERT INTO employer_invites (code_hash, employer_id, contact_name, created_by, expires_at, used_by, used_at)
     VALUES ($1, $2, '梁文静', $3, now() + interval '7 days', $4, now()) RETURNING id`,
    [crypto.randomBytes(32).toString('hex'), employer.id, staffId, contact.id],
  );
  await m.query('INSERT INTO employer_contacts (account_id, employer_id, invite_id) VALUES ($1, $2, $3)', [contact.id, employer.id, invite.id]);
  const today = chinaDate(new Date());
  const [year, month] = today.split('-').map(Number);
  const fields = {
    title: '注塑机操作工',
    categoryCode: 'manufacturing.general_worker',
    workRegionCode: '440703101',
    workPlaceName: '广东省江门市蓬江区棠下镇',
    wageMin: 4800,
    wageMax: 6200,
    headcount: 20,
    ageMin: 18,
    ageMax: 45,
    boardLodging: true,
    isEastWest: true,
    validFrom: today,
    validTo: new Date(Date.UTC(year, month + 3, 0)).toISOString().slice(0, 10),
    description: '两班倒，包吃住，购买五险；天等籍员工春节统一包车返乡。',
  };
  const problems = validatePosting(fields, today);
  if (Object.keys(problems).length) throw new Error(`demo proposal is invalid: ${JSON.stringify(problems)}`);
  await m.query('INSERT INTO posting_proposals (employer_id, submitted_by, fields) VALUES ($1, $2, $3)', [employer.id, contact.id, JSON.stringify(fields)]);
}
