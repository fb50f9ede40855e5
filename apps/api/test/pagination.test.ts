import { R } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp, uniq, workerLogin } from './helpers';

/**
 * The one keyset pager (src/pagination.ts), over every paged route the
 * OpenAPI document lists: a malformed cursor is a 400 naming its field, never
 * a 500; and walks through the pager's shapes visit each row once.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** Cursors no pager made: not base64url JSON, other JSON, arrays of the wrong length or type, and values of each key type that only look right. */
const MALFORMED = [
  '%%%',
  'not-a-cursor',
  b64('not json'),
  b64({ at: 1 }),
  b64([]),
  b64([1, 2]),
  b64(['a', 'b']),
  b64(['a', 'b', 'c', 'd', 'e']),
  b64(['2025-02-30T00:00:00.000000Z', '00000000-0000-0000-0000-000000000000']),
  b64(['2025-02-30', '00000000-0000-0000-0000-000000000000']),
  b64(['99999999999999999999', '1']),
  b64(['99999999999999999999']),
  b64(['regionCode', 'asc', '4514', "' OR 1=1 --", '00000000-0000-0000-0000-000000000000']),
  b64(['age', 'asc', '1990-13-45', '00000000-0000-0000-0000-000000000000']),
];

interface Param {
  name: string;
  in: string;
  schema?: { enum?: string[]; type?: string; format?: string; pattern?: string };
}

describe('a malformed cursor is a 400 naming the field, on every paged route', () => {
  it('every GET route of /openapi.json with a cursor parameter refuses each malformed cursor', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { parameters?: Param[] }>> };
    const admin = await createAccount(t.ds, 'admin', null);
    const officer = await createAccount(t.ds, 'officer', R.villageA1);
    const gridLeader = await createAccount(t.ds, 'grid_leader', R.villageA1);
    const callers = [
      as(t.app, (await login(t.app, admin.username)).accessToken),
      as(t.app, (await login(t.app, officer.username)).accessToken),
      as(t.app, (await workerLogin(t.app)).accessToken),
      // The grid leader's own pages (their job broadcasts).
      as(t.app, (await login(t.app, gridLeader.username)).accessToken),
    ];
    // The feed's cursor comes in as `since`; every other pager's as `cursor`.
    const paged = Object.entries(doc.paths).flatMap(([path, ops]) => {
      const field = ops.get?.parameters?.find((p) => p.in === 'query' && (p.name === 'cursor' || p.name === 'since'))?.name;
      return field ? [{ path, field, params: ops.get!.parameters! }] : [];
    });
    // The routes known today must be among them (the document is the list, this only guards against it losing them).
    expect(paged.map((p) => p.path)).toEqual(
      expect.arrayContaining(['/api/v1/accounts', '/api/v1/audit-events', '/api/v1/lists/{list}', '/api/v1/employers', '/api/v1/postings', '/api/v1/posting-issues', '/api/v1/corrections', '/api/v1/me/notifications', '/api/v1/followups', '/api/v1/sync/changes']),
    );
    const problems: string[] = [];
    for (const { path, field, params } of paged) {
      const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
        const p = params.find((x) => x.in === 'path' && x.name === name);
        if (p?.schema?.enum?.length) return p.schema.enum[0];
        if (path.startsWith('/api/v1/lists/') && name === 'list') return 'all';
        throw new Error(`no value for path parameter ${name} of ${path}`);
      });
      // The first caller the route lets in (an admin, an officer, a worker, a grid leader).
      let reached = false;
      for (const call of callers) {
        const probe = await call({ url });
        if (probe.statusCode === 403) continue;
        expect([path, probe.statusCode]).toEqual([path, 200]);
        reached = true;
        for (const cursor of MALFORMED) {
          const res = await call({ url: `${url}?${field}=${encodeURIComponent(cursor)}` });
          const body = res.json();
          if (res.statusCode !== 400 || body.error?.code !== 'VALIDATION_FAILED' || !/[\u4e00-\u9fff]/.test(body.error?.fields?.[`query.${field}`] ?? '')) {
            problems.push(`${path} ${field}=${cursor}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          }
        }
        break;
      }
      if (!reached) problems.push(`${path}: no caller was let in`);
    }
    expect(problems).toEqual([]);
  });
});

describe('walks visit each row once, in order', () => {
  it('accounts created in the same microsecond page one by one (time and id, newest first)', async () => {
    const staff = await createAccount(t.ds, 'staff', R.townB);
    const api = as(t.app, (await login(t.app, staff.username)).accessToken);
    const tag = uniq('同刻');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createAccount(t.ds, 'officer', R.villageB1, `${tag}${i}`)).id);
    // All at one instant with microseconds: a cursor that kept only milliseconds would skip them.
    await t.ds.query(`UPDATE accounts SET created_at = '2026-03-04 05:06:07.123456+00' WHERE id = ANY($1)`, [ids]);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api({ url: `/api/v1/accounts?limit=2&q=${encodeURIComponent(tag)}${cursor ? `&cursor=${cursor}` : ''}` });
      expect(res.statusCode).toBe(200);
      const body: { items: Array<{ id: string }>; total: number; nextCursor: string | null } = res.json();
      expect(body.total).toBe(5);
      seen.push(...body.items.map((a) => a.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].sort().reverse());
  });

  it('audit events page by id, newest first', async () => {
    const staff = await createAccount(t.ds, 'staff', R.townA);
    const target = await createAccount(t.ds, 'officer', R.villageA2);
    const api = as(t.app, (await login(t.app, staff.username)).accessToken);
    for (let i = 0; i < 5; i++) expect((await api({ url: `/api/v1/accounts/${target.id}` })).statusCode).toBe(200);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api({ url: `/api/v1/audit-events?entityId=${target.id}&action=account.read&limit=2${cursor ? `&cursor=${cursor}` : ''}` });
      const body: { items: Array<{ id: string }>; total: number; nextCursor: string | null } = res.json();
      expect(body.total).toBe(5);
      seen.push(...body.items.map((e) => e.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    const expected: Array<{ id: string }> = await t.ds.query(`SELECT id::text AS id FROM audit_events WHERE entity_id = $1 AND action = 'account.read' ORDER BY audit_events.id DESC`, [target.id]);
    expect(pages).toBe(3);
    expect(seen).toEqual(expected.map((e) => e.id));
  });
});
