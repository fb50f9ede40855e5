import { R } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp } from './helpers';
import { importRegions } from '../src/modules/regions/import-regions';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp();
  const a = await createAccount(t.ds, 'officer', R.villageA1);
  token = (await login(t.app, a.username)).accessToken;
});
afterAll(() => t.close());

describe('regions API', () => {
  it('gives a region with its path from the province down', async () => {
    const res = await as(t.app, token)({ url: `/api/v1/regions/${R.townA}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      code: R.townA,
      name: '天等镇',
      level: 'township',
      parentCode: R.tiandeng,
      path: [
        { code: '45', name: '广西壮族自治区' },
        { code: '4514', name: '崇左市' },
        { code: '451425', name: '天等县' },
        { code: R.townA, name: '天等镇' },
      ],
    });
    expect(res.json().childCount).toBeGreaterThan(10);
  });

  it('lists a county\'s townships, all of them its children', async () => {
    const res = await as(t.app, token)({ url: `/api/v1/regions/${R.tiandeng}/children` });
    const items = res.json().items;
    expect(items.length).toBeGreaterThanOrEqual(10);
    expect(items.every((r: { parentCode: string; level: string }) => r.parentCode === R.tiandeng && r.level === 'township')).toBe(true);
  });

  it('searches by name within an area, exact matches first', async () => {
    const res = await as(t.app, token)({ url: `/api/v1/regions?q=${encodeURIComponent('天等')}&within=45` });
    const items = res.json().items;
    expect(items[0].name).toBe('天等县');
    expect(items.every((r: { code: string }) => r.code.startsWith('45'))).toBe(true);
  });

  it('an unknown code is 404', async () => {
    expect((await as(t.app, token)({ url: '/api/v1/regions/459999' })).statusCode).toBe(404);
    expect((await as(t.app, token)({ url: '/api/v1/regions/459999/children' })).statusCode).toBe(404);
  });

  it('needs a signed-in account', async () => {
    expect((await t.app.inject({ url: `/api/v1/regions/${R.tiandeng}` })).statusCode).toBe(401);
  });
});

describe('importRegions', () => {
  it('is idempotent and brings a county with all its ancestors', async () => {
    const before = await t.ds.query(`SELECT count(*)::int AS n FROM regions WHERE code LIKE '451425%'`);
    const n = await importRegions(t.ds, [R.tiandeng]);
    const after = await t.ds.query(`SELECT count(*)::int AS n FROM regions WHERE code LIKE '451425%'`);
    expect(after[0].n).toBe(before[0].n);
    // The county, its townships and villages, plus the province and the city.
    expect(n).toBe(before[0].n + 2);
    const villages = await t.ds.query(`SELECT count(*)::int AS n FROM regions WHERE code LIKE '451425%' AND level = 'village'`);
    expect(villages[0].n).toBeGreaterThan(100);
    // It reads the whole national file (about 620,000 villages) to pick the county: a ceiling for a busy machine.
  }, 180_000);

  it('refuses prefixes that are not region codes', async () => {
    await expect(importRegions(t.ds, ['45x'])).rejects.toThrow('Not region codes');
  });
});
