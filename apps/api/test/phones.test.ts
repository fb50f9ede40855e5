import type { FastifyInstance } from 'fastify';
import { R } from './fixtures';
import { as, createAccount, createTestApp, feedSettled, login, TestApp, workerLogin } from './helpers';
import { householdData, laborerData, op, sync, uuid } from './survey-fixtures';

/**
 * Phone numbers in bulk reads: the village officer gets them in full (their
 * device calls people), staff paging an area get them masked; one person's
 * audited record shows the phone to everyone who may read it. Every bulk read
 * of personal data is an audit event with counts and area, never values.
 */
let t: TestApp;
let app: FastifyInstance;
type Who = 'officer' | 'townStaff' | 'countyStaff' | 'admin' | 'gridLeader' | 'worker';
const tokens = {} as Record<Who, string>;
const accountIds = {} as Record<Who, string>;
let householdId: string;
let laborerId: string;

const HOUSEHOLD_PHONE = '13800002222';
const OLD_PHONE = '13900002222';
const NEW_PHONE = '13900003333';

beforeAll(async () => {
  t = await createTestApp();
  app = t.app;
  const make = async (who: Who, role: 'officer' | 'staff' | 'admin' | 'grid_leader', region: string | null) => {
    const a = await createAccount(t.ds, role, region);
    accountIds[who] = a.id;
    tokens[who] = (await login(app, a.username)).accessToken;
  };
  await make('officer', 'officer', R.villageA1);
  await make('townStaff', 'staff', R.townA);
  await make('countyStaff', 'staff', R.tiandeng);
  await make('admin', 'admin', R.tiandeng);
  await make('gridLeader', 'grid_leader', R.villageA1);
  const w = await workerLogin(app);
  tokens.worker = w.accessToken;
  accountIds.worker = w.user.id;

  householdId = uuid();
  laborerId = uuid();
  const created = await sync(app, tokens.officer, 'dev-phones', [
    op('household.create', householdId, householdData(R.villageA1, { phone: HOUSEHOLD_PHONE })),
    op('laborer.create', laborerId, laborerData(householdId, { phone: OLD_PHONE })),
  ]);
  expect(created.map((r) => r.status)).toEqual(['applied', 'applied']);
  const edits = await sync(app, tokens.officer, 'dev-phones', [op('laborer.update', laborerId, { phone: NEW_PHONE }, 1), op('household.update', householdId, { phone: '13800003333' }, 1)]);
  expect(edits.map((r) => r.status)).toEqual(['applied', 'applied']);
}, 60_000);
afterAll(() => t.close());

const masked = (p: string) => `${p.slice(0, 3)}****${p.slice(7)}`;
const api = (who: Who) => as(app, tokens[who]);

/** Every feed item about this household or laborer, as `who` reads it page by page (`limit` per page). */
async function feedOf(who: Who, limit: number): Promise<{ records: Array<Record<string, unknown>>; pages: number; nonEmpty: number }> {
  const records: Array<Record<string, unknown>> = [];
  let since: string | undefined;
  let pages = 0;
  let nonEmpty = 0;
  for (;;) {
    await feedSettled(t.ds);
    const body = (await api(who)({ url: `/api/v1/sync/changes?limit=${limit}${since ? `&since=${since}` : ''}` })).json();
    pages++;
    if (body.items.some((i: { removed: boolean }) => !i.removed)) nonEmpty++;
    for (const i of body.items) if (!i.removed && (i.id === householdId || i.id === laborerId)) records.push(i.record);
    since = body.cursor;
    if (!body.hasMore) return { records, pages, nonEmpty };
  }
}

type PhoneRoute = 'household' | 'laborer history' | 'household history' | 'feed' | 'one person';

/** The phone numbers each route shows `who`. */
async function phonesSeenBy(who: Who): Promise<Record<PhoneRoute, unknown>> {
  const get = async (url: string) => {
    const res = await api(who)({ url });
    return res.statusCode === 200 ? res.json() : res.statusCode;
  };
  const household = await get(`/api/v1/households/${householdId}`);
  const lh = await get(`/api/v1/laborers/${laborerId}/history`);
  const hh = await get(`/api/v1/households/${householdId}/history`);
  const one = await get(`/api/v1/laborers/${laborerId}`);
  const feed = who === 'gridLeader' || who === 'worker' ? (await api(who)({ url: '/api/v1/sync/changes' })).statusCode : (await feedOf(who, 1000)).records.map((r) => r.phone).sort();
  return {
    household: typeof household === 'number' ? household : [household.phone, ...household.members.map((m: { phone: string }) => m.phone)],
    'laborer history': typeof lh === 'number' ? lh : lh.items.map((i: { changes: { phone?: unknown } }) => i.changes.phone).filter(Boolean),
    'household history': typeof hh === 'number' ? hh : hh.items.map((i: { changes: { phone?: unknown } }) => i.changes.phone).filter(Boolean),
    feed,
    'one person': typeof one === 'number' ? one : one.phone,
  };
}

describe('phone numbers per role and route', () => {
  const full = {
    household: ['13800003333', NEW_PHONE],
    'laborer history': [{ from: OLD_PHONE, to: NEW_PHONE }],
    'household history': [{ from: HOUSEHOLD_PHONE, to: '13800003333' }],
    feed: ['13800003333', NEW_PHONE],
    'one person': NEW_PHONE,
  };
  const maskedInBulk = {
    household: [masked('13800003333'), masked(NEW_PHONE)],
    'laborer history': [{ from: masked(OLD_PHONE), to: masked(NEW_PHONE) }],
    'household history': [{ from: masked(HOUSEHOLD_PHONE), to: masked('13800003333') }],
    feed: [masked('13800003333'), masked(NEW_PHONE)],
    'one person': NEW_PHONE,
  };
  const refused = { household: 403, 'laborer history': 403, 'household history': 403, feed: 403, 'one person': 403 };

  it.each([
    ['officer', 'in full: their device calls the village', full],
    ['townStaff', 'masked in bulk, in full on one audited record', maskedInBulk],
    ['countyStaff', 'masked in bulk, in full on one audited record', maskedInBulk],
    ['admin', 'masked in bulk, in full on one audited record', maskedInBulk],
    ['gridLeader', 'never (no survey records)', refused],
    ['worker', 'never (only their own record, through /me)', refused],
  ] as const)('%s sees them %s', async (who, _how, expected) => {
    expect(await phonesSeenBy(who)).toEqual(expected);
  });
});

describe('every bulk read of personal data is audited', () => {
  const eventsOf = async (who: Who, action: string) =>
    (await t.ds.query(`SELECT entity_id, region_code, detail FROM audit_events WHERE actor_id = $1 AND action = $2 ORDER BY id`, [accountIds[who], action])) as Array<{ entity_id: string | null; region_code: string | null; detail: Record<string, unknown> }>;

  it.each(['officer', 'townStaff'] as const)('a household read, a history read and each feed page of %s leave an event, with counts and no values', async (who) => {
    const before = {
      household: (await eventsOf(who, 'household.read')).length,
      lh: (await eventsOf(who, 'laborer.read_history')).length,
      hh: (await eventsOf(who, 'household.read_history')).length,
      feed: (await eventsOf(who, 'sync.read_changes')).length,
    };
    expect((await api(who)({ url: `/api/v1/households/${householdId}` })).statusCode).toBe(200);
    expect((await api(who)({ url: `/api/v1/laborers/${laborerId}/history` })).statusCode).toBe(200);
    expect((await api(who)({ url: `/api/v1/households/${householdId}/history` })).statusCode).toBe(200);
    const feed = await feedOf(who, 2);

    const household = (await eventsOf(who, 'household.read')).slice(before.household);
    expect(household).toEqual([{ entity_id: householdId, region_code: R.villageA1, detail: { members: 1, visits: 0, phones: who === 'officer' ? 'full' : 'masked' } }]);
    const lh = (await eventsOf(who, 'laborer.read_history')).slice(before.lh);
    expect(lh).toEqual([{ entity_id: laborerId, region_code: R.villageA1, detail: { versions: 2, phones: who === 'officer' ? 'full' : 'masked' } }]);
    expect((await eventsOf(who, 'household.read_history')).slice(before.hh)).toHaveLength(1);
    // One event per page that handed out records, in the caller's area, with what it counted.
    const pages = (await eventsOf(who, 'sync.read_changes')).slice(before.feed);
    expect(pages).toHaveLength(feed.nonEmpty);
    expect(feed.nonEmpty).toBeGreaterThan(0);
    for (const p of pages) {
      expect(p.region_code).toBe(who === 'officer' ? R.villageA1 : R.townA);
      expect(Object.keys(p.detail).sort()).toEqual(['households', 'laborers', 'phones', 'removed', 'visits']);
      expect((p.detail.households as number) + (p.detail.laborers as number) + (p.detail.visits as number)).toBeGreaterThan(0);
    }
    const all = JSON.stringify([...household, ...lh, ...pages]);
    for (const phone of [HOUSEHOLD_PHONE, OLD_PHONE, NEW_PHONE, '1390000']) expect(all).not.toContain(phone);
  });

  it('a feed page that hands out no record (nothing new) reads no one and leaves no event', async () => {
    let since: string | undefined;
    for (;;) {
      const body = (await api('officer')({ url: `/api/v1/sync/changes?limit=1000${since ? `&since=${since}` : ''}` })).json();
      since = body.cursor;
      if (!body.hasMore) break;
    }
    // Other test files may write to the village meanwhile: the page then holds records and is audited.
    const before = (await eventsOf('officer', 'sync.read_changes')).length;
    const items = (await api('officer')({ url: `/api/v1/sync/changes?since=${since}` })).json().items as Array<{ removed: boolean }>;
    expect((await eventsOf('officer', 'sync.read_changes')).length).toBe(before + (items.some((i) => !i.removed) ? 1 : 0));
  });
});
