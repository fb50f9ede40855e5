import { DataSource, Like } from 'typeorm';
import type { Role } from '@jobbridge/shared';
import type { AppConfig } from '../config';
import { Account } from '../modules/accounts/account.entity';
import { hashPassword } from '../modules/auth/password';
import { Region } from '../modules/regions/region.entity';
import { DEFAULT_REGION_PREFIXES, importRegions } from '../modules/regions/import-regions';
import { DEMO_EMPLOYER, DEMO_JOB_REGION_PREFIXES, seedDemoEmployerContact, seedDemoJobs } from './demo-jobs';
import { LocalWeChatClient } from '../wechat/wechat-client';

/** Password of every demo account except `admin` (which uses JOBBRIDGE_ADMIN_PASSWORD). Demo only. */
export const DEMO_PASSWORD = 'jobbridge-demo';

export interface DemoLogin {
  /** Username, or the demo WeChat code for workers and employer contacts. */
  login: string;
  password: string | null;
  role: Role;
  name: string;
  area: string;
}

/**
 * The root admin (national scope). Created once; its password is never reset
 * here, so changing it through the API sticks across restarts.
 */
export async function ensureRootAdmin(ds: DataSource, config: AppConfig): Promise<void> {
  const repo = ds.getRepository(Account);
  if (await repo.existsBy({ username: 'admin' })) return;
  if (!config.adminPassword) throw new Error('JOBBRIDGE_ADMIN_PASSWORD must be set to create the admin account');
  // Replicas start together: the first one in creates it, the others find it made (ON CONFLICT DO NOTHING).
  await repo
    .createQueryBuilder()
    .insert()
    .values({ username: 'admin', passwordHash: await hashPassword(config.adminPassword), role: 'admin', regionCode: null, name: '系统管理员' })
    .orIgnore()
    .execute();
}

interface DemoAccount {
  username?: string;
  wechatCode?: string;
  role: Role;
  regionCode: string | null;
  name: string;
}

/**
 * The demo county, Tiandeng (天等县, Guangxi), with its real townships and
 * villages and the other seed counties, plus one account per role. Runs at
 * every demo start and only adds what is missing.
 */
export async function seedDemo(ds: DataSource): Promise<DemoLogin[]> {
  const regions = ds.getRepository(Region);
  if (!(await regions.existsBy({ parentCode: '451425100' }))) await importRegions(ds, [...DEFAULT_REGION_PREFIXES, ...DEMO_JOB_REGION_PREFIXES]);
  // Villages proper (村委会), not the town's urban neighbourhoods (居委会).
  const villages = await regions.find({ where: { parentCode: '451425100', name: Like('%村委会') }, order: { code: 'ASC' }, take: 3 });
  if (villages.length < 3) throw new Error('Tiandeng town (451425100) has fewer than 3 villages in the region table');

  const accounts: DemoAccount[] = [
    { username: 'tiandeng-staff', role: 'staff', regionCode: '451425', name: '天等县人社局·陆海燕' },
    { username: 'tiandeng-town', role: 'staff', regionCode: '451425100', name: '天等镇社保所·黄立新' },
    { username: 'pengjiang-staff', role: 'staff', regionCode: '440703', name: '蓬江区人社局·陈嘉明' },
    ...villages.map((v, i) => ({ username: `officer${i + 1}`, role: 'officer' as const, regionCode: v.code, name: ['农春梅', '赵建国', '李秀兰'][i] })),
    { username: 'grid1', role: 'grid_leader', regionCode: villages[0].code, name: '网格长·何美玲' },
    // The escort (护送员) of the demo trip to Jiangmen (seedDemoTransport): downloads its manifest, checks people in offline.
    { username: 'escort1', role: 'officer', regionCode: villages[0].code, name: '护送员·韦小军' },
    { wechatCode: 'demo-worker-1', role: 'worker', regionCode: null, name: '黄志强' },
    { wechatCode: 'demo-worker-2', role: 'worker', regionCode: null, name: '农丽芳' },
    { wechatCode: 'demo-worker-3', role: 'worker', regionCode: null, name: '马文杰' },
    // The contact (企业联系人) of 华粤电子 (seedDemoEmployerContact), in grid1's employer group (seedDemoChats).
    { wechatCode: 'demo-employer-1', role: 'employer_contact', regionCode: null, name: '华粤电子·梁文静' },
  ];
  const hash = await hashPassword(DEMO_PASSWORD);
  const repo = ds.getRepository(Account);
  for (const a of accounts) {
    const openid = a.wechatCode ? LocalWeChatClient.openidFor(a.wechatCode) : null;
    const exists = a.username ? await repo.existsBy({ username: a.username }) : await repo.existsBy({ wechatOpenid: openid! });
    if (exists) continue;
    await repo.insert({
      username: a.username ?? null,
      passwordHash: a.username ? hash : null,
      wechatOpenid: openid,
      role: a.role,
      regionCode: a.regionCode,
      name: a.name,
    });
  }
  // The county's job supply list, entered as its staff account (before the demo people are surveyed, so they are matched against it).
  const staff = await repo.findOneByOrFail({ username: 'tiandeng-staff' });
  await ds.transaction((m) => seedDemoJobs(m, staff.id));
  await ds.transaction((m) => seedDemoEmployerContact(m, staff.id));
  const names = new Map((await regions.findBy(accounts.filter((a) => a.regionCode).map((a) => ({ code: a.regionCode! })))).map((r) => [r.code, r.name]));
  return accounts.map((a) => ({
    login: a.username ?? a.wechatCode!,
    password: a.username ? DEMO_PASSWORD : null,
    role: a.role,
    name: a.name,
    area: a.regionCode ? `${names.get(a.regionCode) ?? ''}（${a.regionCode}）` : a.role === 'employer_contact' ? DEMO_EMPLOYER : '—',
  }));
}
