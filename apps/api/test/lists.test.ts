import http from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { ageOn, chinaDate } from '@jobbridge/shared';
import { R } from './fixtures';
import { contextFor } from '../src/access/request-context';
import { as, createAccount, createTestApp, login, TestAccount, TestApp, workerLogin } from './helpers';
import { householdData, laborerData, makeIdNumber, op, Op, sync, uuid } from './survey-fixtures';
import { eventually } from './jobs-fixtures';

/**
 * The six real-name lists (六个清单): who is on each, filters, sorting, keyset
 * paging, the area rule, masking, and the streamed .xlsx export with its audit.
 *
 * Other test files write laborers into R.villageA1/A2 at the same time, so this
 * file keeps its people in a town of Tiandeng no other test uses (进结镇) and
 * its two villages play the parts of "village A1" and "village A2".
 */
const T = {
  town: '451425102', // 进结镇
  v1: '451425102201', // 团乐村委会 ("village A1")
  v2: '451425102202', // 龙凤村委会 ("village A2")
  bulkVillage: '451425103201', // 向都镇祥龙村委会: the export-streaming people
} as const;

type ListKey = 'all' | 'hard-to-employ' | 'hard-to-employ-employed' | 'unemployed' | 'willing-to-work-away' | 'returnees';
const LIST_KEYS: ListKey[] = ['all', 'hard-to-employ', 'hard-to-employ-employed', 'unemployed', 'willing-to-work-away', 'returnees'];
const TITLES: Record<ListKey, string> = {
  all: '劳动力实名清单',
  'hard-to-employ': '困难劳动力实名清单',
  'hard-to-employ-employed': '困难劳动力就业人员清单',
  unemployed: '失业人员清单',
  'willing-to-work-away': '有意愿外出务工人员清单',
  returnees: '返乡回流人员实名清单',
};

interface Person {
  name: string;
  household: 'h1' | 'h2' | 'h3';
  birth: string; // YYYYMMDD
  sex: 'male' | 'female';
  over: Record<string, unknown>;
  lists: ListKey[];
  id?: string;
  idNumber?: string;
}

const HOUSEHOLDS = {
  h1: { village: T.v1, povertyStatus: 'lifted', headName: '韦一明' },
  h2: { village: T.v1, povertyStatus: 'ordinary', headName: '赵五' },
  h3: { village: T.v2, povertyStatus: 'monitored', headName: '陆六' },
} as const;
const hhIds: Record<keyof typeof HOUSEHOLDS, string> = { h1: uuid(), h2: uuid(), h3: uuid() };

/** Each person is on some lists and not on others; `lists` is what the lists must say. */
const P: Record<string, Person> = {
  p1: {
    name: '韦一明',
    household: 'h1',
    birth: '19900315',
    sex: 'male',
    over: { employmentStatus: 'local', employer: '天等县指尖工厂', workPlace: '天等镇', monthlyIncome: 2800, workScopes: ['local'], serviceNeeds: ['none'], phone: '13812345678', relationToHead: 'self' },
    lists: ['all'],
  },
  p2: {
    name: '黄二妹',
    household: 'h1',
    birth: '19850720',
    sex: 'female',
    over: { isHardToEmploy: true, employmentStatus: 'unemployed', workScopes: ['out_of_province'], migrationStatus: 'returned', returnedAt: '2024-02-01', returnReason: 'job_lost', serviceNeeds: ['job_referral', 'skills_training'], phone: '13998765432' },
    lists: ['all', 'hard-to-employ', 'unemployed', 'willing-to-work-away', 'returnees'],
  },
  p3: {
    name: '农三强',
    household: 'h1',
    birth: '19751102',
    sex: 'male',
    over: { isHardToEmploy: true, employmentStatus: 'workshop', workScopes: ['local'], serviceNeeds: ['skills_training'] },
    lists: ['all', 'hard-to-employ', 'hard-to-employ-employed'],
  },
  p4: {
    name: '李四',
    household: 'h2',
    birth: '20000110',
    sex: 'female',
    over: { employmentStatus: 'unable', health: 'serious', workScopes: ['in_province'], serviceNeeds: ['none'] },
    lists: ['all'],
  },
  p5: {
    name: '赵五',
    household: 'h2',
    birth: '19950606',
    sex: 'male',
    over: {
      employmentStatus: 'out_of_province',
      employer: '佛山某电子厂',
      workScopes: ['in_province', 'out_of_province'],
      migrationStatus: 'away',
      awayPlace: '广东省佛山市',
      awaySince: '2023-03-01',
      wantedJobCategories: ['manufacturing.general_worker'],
      minMonthlyWage: 4500,
      serviceNeeds: ['job_referral'],
    },
    lists: ['all', 'willing-to-work-away'],
  },
  p6: {
    name: '陆六',
    household: 'h3',
    birth: '19800909',
    sex: 'male',
    over: { isHardToEmploy: true, employmentStatus: 'unemployed', workScopes: ['in_province'], migrationStatus: 'returned', returnedAt: '2024-05-01', returnReason: 'family_care', serviceNeeds: ['job_referral'] },
    lists: ['all', 'hard-to-employ', 'unemployed', 'willing-to-work-away', 'returnees'],
  },
  p7: {
    name: '蒙七',
    household: 'h3',
    birth: '20050202',
    sex: 'female',
    over: { employmentStatus: 'in_school', workScopes: [], serviceNeeds: ['career_guidance'] },
    lists: ['all'],
  },
  p8: {
    name: '潘八',
    household: 'h2',
    birth: '19701212',
    sex: 'male',
    over: {
      isHardToEmploy: true,
      employmentStatus: 'unable',
      health: 'disabled',
      disabilityType: 'physical',
      disabilityGrade: 2,
      workScopes: ['out_of_province'],
      migrationStatus: 'returned',
      returnedAt: '2023-12-01',
      returnReason: 'health',
      serviceNeeds: ['public_welfare_post'],
    },
    lists: ['all', 'hard-to-employ', 'returnees'],
  },
};
const people = Object.values(P);
const inVillage = (v: string) => people.filter((p) => HOUSEHOLDS[p.household].village === v);
const onList = (key: ListKey, who = people) => who.filter((p) => p.lists.includes(key));
const ids = (who: Person[]) => who.map((p) => p.id!).sort();
const BULK = 45;

let t: TestApp;
const tok: Record<string, string> = {};
const acc: Record<string, TestAccount> = {};

beforeAll(async () => {
  t = await createTestApp();
  const plan: Array<[string, 'officer' | 'staff' | 'grid_leader' | 'admin', string | null]> = [
    ['officerV1', 'officer', T.v1],
    ['officerV2', 'officer', T.v2],
    ['officerBulk', 'officer', T.bulkVillage],
    ['townStaff', 'staff', T.town],
    ['countyStaff', 'staff', R.tiandeng],
    ['pengjiangStaff', 'staff', R.pengjiang],
    ['gridV1', 'grid_leader', T.v1],
    ['admin', 'admin', null],
  ];
  for (const [key, role, region] of plan) {
    acc[key] = await createAccount(t.ds, role, region);
    tok[key] = (await login(t.app, acc[key].username)).accessToken;
  }
  tok.worker = (await workerLogin(t.app)).accessToken;

  const opsFor = (village: string): Op[] => {
    const ops: Op[] = [];
    for (const [k, h] of Object.entries(HOUSEHOLDS)) {
      if (h.village !== village) continue;
      ops.push(op('household.create', hhIds[k as keyof typeof HOUSEHOLDS], householdData(village, { povertyStatus: h.povertyStatus, headName: h.headName })));
    }
    for (const p of inVillage(village)) {
      p.id = uuid();
      p.idNumber = makeIdNumber(undefined, p.birth, p.sex);
      ops.push(op('laborer.create', p.id, laborerData(hhIds[p.household], { name: p.name, idNumber: p.idNumber, ...p.over })));
    }
    return ops;
  };
  for (const [who, village] of [['officerV1', T.v1], ['officerV2', T.v2]] as const) {
    const results = await sync(t.app, tok[who], `dev-${who}`, opsFor(village));
    expect(results.filter((r) => r.status !== 'applied')).toEqual([]);
  }

  // Enough people for an export of many chunks (with a small chunk size).
  const bulk: Op[] = [];
  for (let h = 0; h < BULK / 3; h++) {
    const hid = uuid();
    bulk.push(op('household.create', hid, householdData(T.bulkVillage)));
    for (let i = 0; i < 3; i++) bulk.push(op('laborer.create', uuid(), laborerData(hid, { name: `批量${h}-${i}` })));
  }
  const results = await sync(t.app, tok.officerBulk, 'dev-bulk', bulk);
  expect(results.filter((r) => r.status !== 'applied')).toEqual([]);
});
afterAll(() => t.close());

const get = (who: string, url: string) => as(t.app, tok[who])({ url });

interface Item {
  id: string;
  name: string;
  age: number;
  regionCode: string;
  householdId: string;
  idNumberMasked: string;
  phone: string | null;
  povertyStatus: string;
  villageName: string | null;
  updatedAt: string;
  [k: string]: unknown;
}
interface PageBody {
  items: Item[];
  total: number;
  nextCursor: string | null;
}

/** Every item of a list for `who`, following the cursor; checks `total` on each page and that no row comes twice. */
async function all(who: string, key: string, query = '', limit = 200): Promise<{ items: Item[]; total: number; pages: number }> {
  const items: Item[] = [];
  let cursor: string | null = null;
  let total = -1;
  let pages = 0;
  do {
    const res = await get(who, `/api/v1/lists/${key}?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as PageBody;
    if (total === -1) total = body.total;
    expect(body.total).toBe(total);
    items.push(...body.items);
    cursor = body.nextCursor;
    pages++;
    if (pages > 100) throw new Error('paging does not end');
  } while (cursor);
  expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  expect(items).toHaveLength(total);
  return { items, total, pages };
}
const idsOf = (items: Item[]) => items.map((i) => i.id).sort();

describe('GET /api/v1/lists', () => {
  it('names the six lists with their counts in the caller\'s area', async () => {
    const res = await get('townStaff', '/api/v1/lists');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual(LIST_KEYS.map((key) => ({ key, title: TITLES[key], count: onList(key).length, countCapped: false })));
  });

  it('counts only the caller\'s area: each village officer sees its own village', async () => {
    for (const [who, village] of [['officerV1', T.v1], ['officerV2', T.v2]] as const) {
      const res = await get(who, '/api/v1/lists');
      expect(res.json().items.map((i: { count: number }) => i.count)).toEqual(LIST_KEYS.map((key) => onList(key, inVillage(village)).length));
    }
  });

  it('narrows to a region inside the area, and refuses one outside it', async () => {
    const res = await get('countyStaff', `/api/v1/lists?regionCode=${T.v2}`);
    expect(res.json().items.map((i: { count: number }) => i.count)).toEqual(LIST_KEYS.map((key) => onList(key, inVillage(T.v2)).length));
    const out = await get('officerV1', `/api/v1/lists?regionCode=${T.v2}`);
    expect(out.statusCode).toBe(403);
    expect(out.json().error).toMatchObject({ code: 'OUT_OF_AREA', fields: { 'query.regionCode': expect.any(String) } });
  });
});

describe('who is on each list', () => {
  it.each(LIST_KEYS)('%s holds exactly the right people', async (key) => {
    const { items, total } = await all('townStaff', key);
    expect(idsOf(items)).toEqual(ids(onList(key)));
    expect(total).toBe(onList(key).length);
  });

  it('the list items carry the household\'s poverty status, the head and the village name', async () => {
    const { items } = await all('townStaff', 'all');
    const p2 = items.find((i) => i.id === P.p2.id)!;
    expect(p2).toMatchObject({ name: '黄二妹', povertyStatus: 'lifted', headName: '韦一明', villageName: '团乐村委会', townshipName: '进结镇', regionCode: T.v1, sex: 'female', isHardToEmploy: true, employmentStatus: 'unemployed' });
    expect(p2.age).toBe(ageOn('1985-07-20', new Date()));
    expect(items.find((i) => i.id === P.p6.id)).toMatchObject({ povertyStatus: 'monitored', villageName: '龙凤村委会' });
  });
});

describe('filters', () => {
  const filtered = async (key: string, query: string) => idsOf((await all('townStaff', key, query)).items);

  it('by region inside the area', async () => {
    expect(await filtered('all', `regionCode=${T.v2}`)).toEqual(ids(inVillage(T.v2)));
    expect(await filtered('returnees', `regionCode=${T.v1}`)).toEqual(ids([P.p2, P.p8]));
  });

  it('by employment status, service need, poverty status and sex', async () => {
    expect(await filtered('all', 'employmentStatus=unable')).toEqual(ids([P.p4, P.p8]));
    expect(await filtered('all', 'serviceNeed=skills_training')).toEqual(ids([P.p2, P.p3]));
    expect(await filtered('all', 'serviceNeed=job_referral')).toEqual(ids([P.p2, P.p5, P.p6]));
    expect(await filtered('all', 'povertyStatus=lifted')).toEqual(ids([P.p1, P.p2, P.p3]));
    expect(await filtered('hard-to-employ', 'povertyStatus=ordinary')).toEqual(ids([P.p8]));
    expect(await filtered('all', 'sex=female')).toEqual(ids([P.p2, P.p4, P.p7]));
    expect(await filtered('unemployed', 'sex=female&povertyStatus=lifted')).toEqual(ids([P.p2]));
  });

  it('by age, counted from the birth date as of today', async () => {
    const today = new Date();
    const ageOf = (p: Person) => ageOn(`${p.birth.slice(0, 4)}-${p.birth.slice(4, 6)}-${p.birth.slice(6)}`, today);
    expect(await filtered('all', 'ageMin=30&ageMax=45')).toEqual(ids(people.filter((p) => ageOf(p) >= 30 && ageOf(p) <= 45)));
    expect(await filtered('all', 'ageMin=50')).toEqual(ids(people.filter((p) => ageOf(p) >= 50)));
    expect(await filtered('all', 'ageMax=25')).toEqual(ids(people.filter((p) => ageOf(p) <= 25)));
    const exact = ageOf(P.p3);
    expect(await filtered('all', `ageMin=${exact}&ageMax=${exact}`)).toEqual(ids(people.filter((p) => ageOf(p) === exact)));
  });

  it('by part of the name, with LIKE wildcards taken literally', async () => {
    expect(await filtered('all', `q=${encodeURIComponent('二妹')}`)).toEqual(ids([P.p2]));
    expect(await filtered('all', `q=${encodeURIComponent('韦')}`)).toEqual(ids([P.p1]));
    expect(await filtered('all', `q=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await filtered('all', 'q=_')).toEqual([]);
  });

  it('by the whole ID number (the last digits are not shown, so not searched either)', async () => {
    expect(await filtered('all', `idNumber=${P.p5.idNumber!.toLowerCase()}`)).toEqual([P.p5.id]);
    const other = `${P.p5.idNumber!.slice(0, 17)}${P.p5.idNumber!.endsWith('0') ? '1' : '0'}`;
    expect(await filtered('all', `idNumber=${other}`)).toEqual([]);
    expect((await get('townStaff', `/api/v1/lists/all?idTail=${P.p5.idNumber!.slice(-4)}`)).statusCode).toBe(400);
  });
});

describe('sorting and keyset paging', () => {
  const SORTS = ['regionCode', 'name', 'age', 'updatedAt'] as const;

  it.each(SORTS.flatMap((s) => [[s, 'asc'], [s, 'desc']] as const))('by %s %s, two at a time, visits every row once in order', async (sort, order) => {
    const { items, total, pages } = await all('townStaff', 'all', `sort=${sort}&order=${order}`, 2);
    expect(total).toBe(people.length);
    expect(pages).toBe(Math.ceil(people.length / 2));
    expect(idsOf(items)).toEqual(ids(people));
    // The order is the database's, with the id breaking ties.
    const column = { regionCode: 'region_code, household_id', name: 'name', age: 'birth_date', updatedAt: 'updated_at' }[sort];
    const dir = (order === 'desc') !== (sort === 'age') ? 'DESC' : 'ASC';
    const expected = await t.ds.query(
      `SELECT id FROM laborers WHERE id = ANY($1::uuid[]) ORDER BY ${column
        .split(', ')
        .map((c) => `${c} ${dir}`)
        .join(', ')}, id ${dir}`,
      [ids(people)],
    );
    expect(items.map((i) => i.id)).toEqual(expected.map((r: { id: string }) => r.id));
  });

  it('ages run up with age asc; members of a household stay together by default', async () => {
    const byAge = (await all('townStaff', 'all', 'sort=age')).items.map((i) => i.age);
    expect(byAge).toEqual([...byAge].sort((a, b) => a - b));
    const byRegion = (await all('townStaff', 'all')).items;
    const households = byRegion.map((i) => i.householdId).filter((h, i, a) => i === 0 || a[i - 1] !== h);
    expect(new Set(households).size).toBe(households.length);
  });

  it('a cursor works only with the sort it was made for; a malformed one is 400 naming query.cursor', async () => {
    const first = (await get('townStaff', '/api/v1/lists/all?limit=2&sort=name')).json() as PageBody;
    expect(first.nextCursor).toBeTruthy();
    for (const url of [
      `/api/v1/lists/all?limit=2&sort=age&cursor=${first.nextCursor}`,
      `/api/v1/lists/all?limit=2&sort=name&order=desc&cursor=${first.nextCursor}`,
      '/api/v1/lists/all?cursor=not-a-cursor',
      `/api/v1/lists/all?sort=age&cursor=${Buffer.from(JSON.stringify(['age', 'asc', '1990-13-45', uuid()])).toString('base64url')}`,
      `/api/v1/lists/all?sort=name&cursor=${Buffer.from(JSON.stringify(['name', 'asc', 'x', "1' OR '1'='1"])).toString('base64url')}`,
    ]) {
      const res = await get('townStaff', url);
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json().error.fields)).toEqual(['query.cursor']);
    }
  });
});

describe('the area rule', () => {
  it.each(LIST_KEYS)('%s: an officer of village A1 never sees village A2, and the other way round', async (key) => {
    for (const [who, village] of [['officerV1', T.v1], ['officerV2', T.v2]] as const) {
      const { items, total } = await all(who, key);
      expect(idsOf(items)).toEqual(ids(onList(key, inVillage(village))));
      expect(total).toBe(onList(key, inVillage(village)).length);
      expect(items.every((i) => i.regionCode === village)).toBe(true);
    }
  });

  it.each(LIST_KEYS)('%s: the county staff sees both villages', async (key) => {
    // The whole county: other files write there meanwhile, so its total is not this file's to check.
    const items: Item[] = [];
    for (let cursor: string | null = '', pages = 0; cursor !== null && pages < 100; pages++) {
      const body = (await get('countyStaff', `/api/v1/lists/${key}?limit=200${cursor ? `&cursor=${cursor}` : ''}`)).json() as PageBody;
      items.push(...body.items);
      cursor = body.nextCursor;
    }
    expect(idsOf(items)).toEqual(expect.arrayContaining(ids(onList(key))));
    expect(items.every((i) => i.regionCode.startsWith(R.tiandeng))).toBe(true);
    expect(idsOf((await all('countyStaff', key, `regionCode=${T.town}`)).items)).toEqual(ids(onList(key)));
  });

  it.each(LIST_KEYS)('%s: a staff of another county (Pengjiang) sees none of them', async (key) => {
    const res = await get('pengjiangStaff', `/api/v1/lists/${key}?limit=200`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as PageBody;
    expect(body.items.every((i) => i.regionCode.startsWith(R.pengjiang))).toBe(true);
    for (const p of people) expect(res.body).not.toContain(p.id);
  });

  it('filtering by another area is 403 OUT_OF_AREA with no items and no total', async () => {
    for (const [who, region] of [
      ['pengjiangStaff', R.tiandeng],
      ['pengjiangStaff', T.v1],
      ['officerV1', T.v2],
      ['officerV1', T.town],
    ] as const) {
      for (const url of [`/api/v1/lists/all?regionCode=${region}`, `/api/v1/lists/all/export?regionCode=${region}`]) {
        const res = await get(who, url);
        expect(res.statusCode).toBe(403);
        expect(res.json()).toEqual({ error: { code: 'OUT_OF_AREA', message: expect.any(String), fields: { 'query.regionCode': expect.any(String) } } });
      }
    }
  });

  it('a national admin sees everyone; grid leaders and workers may not read the lists', async () => {
    expect(idsOf((await all('admin', 'all', `regionCode=${T.town}`)).items)).toEqual(ids(people));
    for (const who of ['gridV1', 'worker']) {
      for (const url of ['/api/v1/lists', '/api/v1/lists/all', '/api/v1/lists/all/export']) {
        const res = await get(who, url);
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
      }
    }
    expect((await t.app.inject({ url: '/api/v1/lists/all' })).statusCode).toBe(401);
  });
});

describe('masking', () => {
  it('list JSON shows ID and phone numbers masked only, and no birth date', async () => {
    for (const key of LIST_KEYS) {
      const res = await get('townStaff', `/api/v1/lists/${key}?limit=200`);
      for (const p of people) {
        expect(res.body).not.toContain(p.idNumber);
        expect(res.body).not.toContain(p.idNumber!.slice(6, 14));
      }
      expect(res.body).not.toContain('13812345678');
      expect(res.body).not.toContain('13998765432');
      expect(res.body).not.toContain('birthDate');
    }
    const { items } = await all('townStaff', 'all');
    for (const p of people) {
      expect(items.find((i) => i.id === p.id)!.idNumberMasked).toBe(`${p.idNumber!.slice(0, 6)}************`);
    }
    expect(items.find((i) => i.id === P.p1.id)!.phone).toBe('138****5678');
    expect(items.find((i) => i.id === P.p3.id)!.phone).toBeNull();
  });
});

/** The rows of the first sheet as plain values (header first). */
async function readXlsx(buffer: Buffer): Promise<{ sheetName: string; rows: unknown[][] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { sheetName: ws.name, rows };
}

const HEADERS = [
  '序号',
  '姓名',
  '性别',
  '年龄',
  '身份证号(脱敏)',
  '手机号(脱敏)',
  '所属乡镇',
  '所在村',
  '村代码',
  '户主',
  '与户主关系',
  '脱贫属性',
  '文化程度',
  '健康状况',
  '技能特长',
  '就业状态',
  '就业单位/地点',
  '月收入(元)',
  '外出/返乡',
  '服务需求',
  '就业意愿工种',
  '意愿地域',
  '意向城市/地点',
  '最低月薪(元)',
  '需要包吃住',
  '培训意愿',
  '困难劳动力',
  '更新日期',
];

describe('GET /api/v1/lists/:list/export', () => {
  it('streams an .xlsx with Chinese headers, masked numbers and labels, named per RFC 5987', async () => {
    const res = await get('townStaff', `/api/v1/lists/all/export?regionCode=${T.town}&sort=name`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const filename = `劳动力实名清单-进结镇-${chinaDate(new Date())}.xlsx`;
    expect(res.headers['content-disposition']).toBe(`attachment; filename="list-all-${T.town}-${chinaDate(new Date())}.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`);

    const { sheetName, rows } = await readXlsx(res.rawPayload);
    expect(sheetName).toBe('劳动力实名清单');
    expect(rows[0]).toEqual(HEADERS);
    expect(rows).toHaveLength(people.length + 1);
    const col = (h: string) => HEADERS.indexOf(h);
    const body = rows.slice(1);
    expect(body.map((r) => r[col('序号')])).toEqual(people.map((_p, i) => i + 1));
    // Same order as the list itself.
    expect(body.map((r) => r[col('姓名')])).toEqual((await all('townStaff', 'all', 'sort=name')).items.map((i) => i.name));

    const row = (p: Person) => body.find((r) => r[col('姓名')] === p.name)!;
    expect(row(P.p2)[col('身份证号(脱敏)')]).toBe(`${P.p2.idNumber!.slice(0, 6)}************`);
    expect(row(P.p2)).toEqual(
      expect.arrayContaining(['女', '脱贫户', '初中', '未就业(有劳动能力)', '返乡回流（2024-02-01返乡，失业/岗位减少）', '岗位推荐、技能培训', '省外', '是', '团乐村委会', '进结镇', '韦一明', '139****5432']),
    );
    expect(row(P.p2)[col('年龄')]).toBe(ageOn('1985-07-20', new Date()));
    expect(row(P.p1)).toEqual(expect.arrayContaining(['男', '县内务工', '天等县指尖工厂 / 天等镇', 2800, '暂无需求', '户主', '138****5678', '否']));
    expect(row(P.p5)).toEqual(expect.arrayContaining(['一般农户', '省外务工', '外出务工中（广东省佛山市，2023-03-01起）', '普工/操作工', '省内、省外', 4500]));
    expect(row(P.p6)[col('脱贫属性')]).toBe('监测对象');
    expect(row(P.p8)[col('健康状况')]).toBe('残疾（肢体残疾 二级）');

    const cells = JSON.stringify(rows);
    for (const p of people) {
      expect(cells).not.toContain(p.idNumber);
      expect(cells).not.toContain(p.idNumber!.slice(6, 14));
    }
    expect(cells).not.toContain('13812345678');
    expect(cells).not.toContain('13998765432');
  });

  it('applies the list and the filters', async () => {
    const res = await get('townStaff', `/api/v1/lists/hard-to-employ/export?sex=male&sort=age&order=desc`);
    expect(res.statusCode).toBe(200);
    expect(decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1])).toBe(`困难劳动力实名清单-进结镇-${chinaDate(new Date())}.xlsx`);
    const { sheetName, rows } = await readXlsx(res.rawPayload);
    expect(sheetName).toBe('困难劳动力实名清单');
    // Oldest first: age desc.
    expect(rows.slice(1).map((r) => r[1])).toEqual(['潘八', '农三强', '陆六']);
  });

  it('an empty list is a workbook with the header row only', async () => {
    const res = await get('officerV2', '/api/v1/lists/hard-to-employ-employed/export');
    expect(res.statusCode).toBe(200);
    expect((await readXlsx(res.rawPayload)).rows).toEqual([HEADERS]);
  });

  it('is audited in the caller\'s area with the list, the filters and the row count, never a name', async () => {
    const res = await get('townStaff', `/api/v1/lists/returnees/export?regionCode=${T.v1}&q=${encodeURIComponent('潘')}&sort=updatedAt`);
    expect(res.statusCode).toBe(200);
    expect((await readXlsx(res.rawPayload)).rows).toHaveLength(2);
    const events = await t.ds.query('SELECT action, entity_type, region_code, actor_role, detail FROM audit_events WHERE request_id = $1', [res.headers['x-request-id']]);
    expect(events).toEqual([
      {
        action: 'list.export',
        entity_type: 'list',
        region_code: T.town,
        actor_role: 'staff',
        detail: { list: 'returnees', rows: 1, filters: { regionCode: T.v1, q: true, sort: 'updatedAt', order: 'asc' } },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain('潘');

    const plain = await get('townStaff', '/api/v1/lists/all/export');
    const [ev] = await t.ds.query('SELECT detail FROM audit_events WHERE request_id = $1', [plain.headers['x-request-id']]);
    expect(ev.detail).toEqual({ list: 'all', rows: people.length, filters: { sort: 'regionCode', order: 'asc' } });
  });

  it('reads the rows in keyset chunks: a small chunk size gives the same file', async () => {
    const svc = t.app.listsService;
    const whole = await readXlsx((await get('countyStaff', `/api/v1/lists/all/export?regionCode=${T.bulkVillage}&sort=name`)).rawPayload);
    svc.exportChunkSize = 4;
    try {
      const chunked = await readXlsx((await get('countyStaff', `/api/v1/lists/all/export?regionCode=${T.bulkVillage}&sort=name`)).rawPayload);
      expect(chunked.rows).toHaveLength(BULK + 1);
      expect(chunked.rows).toEqual(whole.rows);
      expect(new Set(chunked.rows.map((r) => r[1])).size).toBe(BULK + 1);
    } finally {
      svc.exportChunkSize = 2000;
    }
  });

  it('reads the next chunk only once the client has taken the last one, and gives up on a client that stops reading', async () => {
    const svc = t.app.listsService;
    const page = jest.spyOn(svc as unknown as { page: () => Promise<unknown[]> }, 'page');
    const pool = (t.ds.driver as unknown as { master: { totalCount: number; idleCount: number } }).master;
    const a = acc.countyStaff;
    const ctx = contextFor({ accountId: a.id, role: a.role, regionCode: a.regionCode, sessionId: uuid() }, '127.0.0.1', uuid());
    try {
      // A client that takes nothing: the export waits after (at most) the second chunk instead of buffering
      // the list, until, nothing taken for exportStallMs, it gives up and its connection goes back to the pool.
      Object.assign(svc, { exportChunkSize: 5, exportBacklogBytes: 1, exportStallMs: 200 });
      const stalled = await svc.export(ctx, 'all', { regionCode: T.bulkVillage });
      expect(stalled.rows).toBe(BULK);
      if (!stalled.stream.destroyed) await new Promise((r) => stalled.stream.once('close', r));
      expect(page.mock.calls.length).toBeGreaterThanOrEqual(1);
      expect(page.mock.calls.length).toBeLessThanOrEqual(2);
      await eventually(async () => pool.idleCount === pool.totalCount, (idle) => idle);

      // A client that reads: every chunk, one after the other, and the whole list.
      page.mockClear();
      Object.assign(svc, { exportStallMs: 60_000 });
      const file = await svc.export(ctx, 'all', { regionCode: T.bulkVillage });
      const parts: Buffer[] = [];
      for await (const part of file.stream) parts.push(part as Buffer);
      expect(page).toHaveBeenCalledTimes(BULK / 5 + 1);
      expect((await readXlsx(Buffer.concat(parts))).rows).toHaveLength(BULK + 1);
    } finally {
      page.mockRestore();
      Object.assign(svc, { exportChunkSize: 2000, exportBacklogBytes: 1 << 20, exportStallMs: 60_000 });
    }
  });

  it('a client that disconnects midway ends the export quietly and frees its database connection', async () => {
    const svc = t.app.listsService;
    svc.exportChunkSize = 1;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const pool = (t.ds.driver as unknown as { master: { totalCount: number; idleCount: number } }).master;
    try {
      const got = await new Promise<{ status: number; bytes: number }>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: `/api/v1/lists/all/export?regionCode=${T.bulkVillage}`, headers: { authorization: `Bearer ${tok.countyStaff}` } }, (res) => {
          res.once('data', (chunk: Buffer) => {
            req.destroy();
            resolve({ status: res.statusCode ?? 0, bytes: chunk.length });
          });
        });
        req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      });
      expect(got.status).toBe(200);
      // The connection holding the export's snapshot goes back to the pool.
      await eventually(async () => pool.idleCount === pool.totalCount, (idle) => idle);
      // And the app goes on serving, exports included.
      svc.exportChunkSize = 2000;
      const again = await get('countyStaff', `/api/v1/lists/all/export?regionCode=${T.bulkVillage}`);
      expect(again.statusCode).toBe(200);
      expect((await readXlsx(again.rawPayload)).rows).toHaveLength(BULK + 1);
    } finally {
      svc.exportChunkSize = 2000;
    }
  });
});

describe('bad input is 4xx naming the field', () => {
  it.each([
    ['/api/v1/lists/nope', 404, null],
    ['/api/v1/lists/nope/export', 404, null],
    ['/api/v1/lists/all?sort=birthday', 400, 'query.sort'],
    ['/api/v1/lists/all?order=up', 400, 'query.order'],
    ['/api/v1/lists/all?ageMin=151', 400, 'query.ageMin'],
    ['/api/v1/lists/all?ageMax=-1', 400, 'query.ageMax'],
    ['/api/v1/lists/all?ageMin=40&ageMax=30', 400, 'query.ageMin'],
    ['/api/v1/lists/all?ageMin=abc', 400, 'query.ageMin'],
    ['/api/v1/lists/all?cursor=%%%', 400, 'query.cursor'],
    ['/api/v1/lists/all?limit=0', 400, 'query.limit'],
    ['/api/v1/lists/all?limit=201', 400, 'query.limit'],
    ['/api/v1/lists/all?idNumber=12a4', 400, 'query.idNumber'],
    ['/api/v1/lists/all?employmentStatus=retired', 400, 'query.employmentStatus'],
    ['/api/v1/lists/all?povertyStatus=rich', 400, 'query.povertyStatus'],
    ['/api/v1/lists/all?regionCode=4514251', 400, 'query.regionCode'],
    ['/api/v1/lists/all?q=', 400, 'query.q'],
    ['/api/v1/lists/all?name=x', 400, 'query.name'],
    ['/api/v1/lists?status=x', 400, 'query.status'],
    ['/api/v1/lists/all/export?cursor=abc', 400, 'query.cursor'],
    ['/api/v1/lists/all/export?limit=10', 400, 'query.limit'],
    ['/api/v1/lists/all/export?ageMin=200', 400, 'query.ageMin'],
  ])('%s -> %i %s', async (url, status, field) => {
    const res = await get('townStaff', url);
    expect(res.statusCode).toBe(status);
    if (field) expect(Object.keys(res.json().error.fields)).toContain(field);
    else expect(res.json().error.code).toBe('NOT_FOUND');
  });
});
