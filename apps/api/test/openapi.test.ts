import { as, createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';
import { householdData, laborerData, op, uuid } from './survey-fixtures';
import { R } from './fixtures';

/**
 * Responses are closed: Fastify serialises only the fields a response schema
 * lists, so an open object (`additionalProperties` true or a schema, or an
 * untyped value) sends whatever the service put there, personal data included.
 * Each open place left is named here with the reason it may stay open.
 */

let t: TestApp;
beforeAll(async () => {
  // About three requests a route from one address: well under the limit, which this file does not test.
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => t.close());

const MAY_STAY_OPEN: Record<string, string> = {
  // Field path (`skills.3`, `location.lat`) -> what is wrong with it, in Chinese: the paths are the sent data's own, not a fixed set.
  'POST /api/v1/sync 200 .results[].fields': 'field errors',
  // A subsidy rule's data is a condition tree (recursive: all/any/not/leaf), checked by validateRuleData (packages/shared/src/subsidies.ts).
  'GET /api/v1/subsidies/rules 200 .items[].versions[].data': 'rule data (a condition tree)',
  'POST /api/v1/subsidies/rules 201 .version.data': 'rule data (a condition tree)',
  'POST /api/v1/subsidies/rules/{id}/versions 201 .data': 'rule data (a condition tree)',
};

type Schema = Record<string, unknown>;

function openPlaces(s: unknown, at: string, components: Record<string, Schema>, out: string[], seen = new Set<string>()): void {
  if (!s || typeof s !== 'object') return;
  const schema = s as Schema;
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop()!;
    if (!seen.has(name)) openPlaces(components[name], at, components, out, new Set([...seen, name]));
    return;
  }
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) for (const x of (schema[k] as unknown[] | undefined) ?? []) openPlaces(x, at, components, out, seen);
  if (Array.isArray(schema.enum)) return; // a fixed set of values (OpenAPI 3.0 writes null as { type: 'object', nullable: true, enum: [null] })
  if (schema.type === 'object' || schema.properties) {
    if (schema.additionalProperties !== false) out.push(at);
    for (const [k, v] of Object.entries((schema.properties as Record<string, unknown>) ?? {})) openPlaces(v, `${at}.${k}`, components, out, seen);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') openPlaces(schema.additionalProperties, `${at}.*`, components, out, seen);
  } else if (schema.type === 'array') {
    openPlaces(schema.items, `${at}[]`, components, out, seen);
  } else if (schema.type === undefined && !['anyOf', 'oneOf', 'allOf', 'enum', 'const'].some((k) => k in schema)) {
    out.push(at);
  }
}

describe('the OpenAPI document', () => {
  it('every JSON answer is a closed schema, but for the places named with a reason', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
      components: { schemas: Record<string, Schema> };
    };
    const open: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [code, res] of Object.entries(op.responses ?? {})) {
          if (!code.startsWith('2')) continue;
          const json = res.content?.['application/json'];
          if (json) openPlaces(json.schema, `${method.toUpperCase()} ${path} ${code} `, doc.components.schemas, open);
        }
      }
    }
    expect(open.map((p) => p.replace(/ $/, ' (the whole answer)')).sort()).toEqual(Object.keys(MAY_STAY_OPEN).sort());
  });
});

type Doc = {
  paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, { description: string; content?: Record<string, { schema?: { $ref?: string } }> }> }>>;
};

/** A path of the document made callable: ids, list keys and region codes that parse (the refusal comes before they are looked at). */
const callable = (path: string) => path.replace(/\{list\}/g, 'all').replace(/\{code\}/g, R.tiandeng).replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');

describe('what every signed-in route answers, in the document and in fact', () => {
  it('each lists 401 UNAUTHENTICATED and, unless it is the password change or sign-out, 403 PASSWORD_CHANGE_REQUIRED (the public ones never); each is what the route answers', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json() as Doc;
    // An account whose password someone else set: every route but the change and sign-out refuses it.
    const pending = await createAccount(t.ds, 'staff', R.tiandeng);
    const { accessToken } = await login(t.app, pending.username);
    await t.ds.query('UPDATE accounts SET must_change_password = true WHERE id = $1', [pending.id]);

    const asks = (op: Doc['paths'][string][string]) => !!op.responses['403']?.description.includes('PASSWORD_CHANGE_REQUIRED');
    const ops = Object.entries(doc.paths).flatMap(([path, o]) => Object.entries(o).map(([method, op]) => ({ path, method: method.toUpperCase() as 'GET', op })));
    const signedIn = ops.filter(({ path, op }) => path.startsWith('/api/v1/') && !(Array.isArray(op.security) && op.security.length === 0));
    expect(signedIn.length).toBeGreaterThan(40);
    for (const { path, method, op } of ops) {
      const name = `${method} ${path}`;
      const isSignedIn = signedIn.some((s) => s.op === op);
      const r401 = op.responses['401'];
      const asksChange = asks(op);
      // A public route may answer 401 of its own (a wrong password), never for want of a session.
      if (isSignedIn) expect({ name, r401: r401?.description }).toEqual({ name, r401: expect.stringContaining('UNAUTHENTICATED') });
      if (!isSignedIn) {
        expect({ name, asksChange }).toEqual({ name, asksChange: false });
        continue;
      }
      expect(r401.content?.['application/json']?.schema?.$ref).toBe('#/components/schemas/ErrorResponse');
      const url = callable(path);
      const anonymous = await t.app.inject({ method, url });
      expect({ name, status: anonymous.statusCode, code: anonymous.json().error?.code }).toEqual({ name, status: 401, code: 'UNAUTHENTICATED' });
      // A route that lets the account in may end its session (sign-out): each of those gets a session of its own.
      const token = asksChange ? accessToken : (await login(t.app, pending.username)).accessToken;
      const res = await t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
      const refused = res.statusCode === 403 && res.json().error?.code === 'PASSWORD_CHANGE_REQUIRED';
      expect({ name, refused }).toEqual({ name, refused: asksChange });
    }
  });
});

describe('the rate limit, in the document and in fact', () => {
  it('every route but the health probes lists 429 RATE_LIMITED and answers it past the limit', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json() as Doc;
    // An app of its own with a limit of one request a minute (per address).
    const limited = await createTestApp({ RATE_LIMIT_PER_MINUTE: '1' });
    try {
      const ops = Object.entries(doc.paths).flatMap(([path, o]) => Object.keys(o).map((method) => ({ path, method: method.toUpperCase() as 'GET', op: o[method] })));
      for (const { path, method, op } of ops) {
        const name = `${method} ${path}`;
        const listed = !!op.responses['429']?.description.includes('RATE_LIMITED');
        expect({ name, listed }).toEqual({ name, listed: !/^\/(healthz|readyz)$/.test(path) });
        const url = callable(path);
        await limited.app.inject({ method, url });
        const second = await limited.app.inject({ method, url });
        expect({ name, limited: second.statusCode === 429 && second.json().error?.code === 'RATE_LIMITED' }).toEqual({ name, limited: listed });
      }
    } finally {
      await limited.close();
    }
  });
});

describe('the serializer sends what the closed schemas name: everything of the views, nothing beside them', () => {
  let officer: ReturnType<typeof as>;
  let staff: ReturnType<typeof as>;
  let staffId: string;
  let householdId: string;
  let laborerId: string;
  beforeAll(async () => {
    officer = as(t.app, (await login(t.app, (await createAccount(t.ds, 'officer', R.villageA2)).username)).accessToken);
    const s = await createAccount(t.ds, 'staff', R.tiandeng);
    staffId = s.id;
    staff = as(t.app, (await login(t.app, s.username)).accessToken);
    householdId = uuid();
    laborerId = uuid();
  }, 60_000);

  const syncAs = async (api: ReturnType<typeof as>, deviceId: string, ops: ReturnType<typeof op>[]) => {
    const res = await api({ method: 'POST', url: '/api/v1/sync', payload: { deviceId, ops } });
    expect(res.statusCode).toBe(200);
    return res.json().results as Array<Record<string, unknown>>;
  };

  it('a household, a laborer, a visit, their histories, the feed and a conflict carry every field the views have', async () => {
    const created = await syncAs(officer, 'dev-closed-a', [
      op('household.create', householdId, householdData(R.villageA2, { phone: '13800004444' })),
      op('laborer.create', laborerId, laborerData(householdId, { phone: '13900004444', health: 'disabled', disabilityType: 'physical', disabilityGrade: 3, monthlyIncome: 2000 })),
      op('visit.create', uuid(), { householdId, laborerId, visitedAt: new Date().toISOString(), location: { lat: 23.1, lng: 107.1, accuracy: 12 }, note: '走访', changedFields: ['phone'] }),
    ]);
    expect(created.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const edit = { phone: '13900005555', skills: ['砌砖', '电焊'], monthlyIncome: 3000, employmentStatus: 'local', employer: '天等县某厂' };
    expect((await syncAs(officer, 'dev-closed-a', [op('laborer.update', laborerId, edit, 1)]))[0]).toMatchObject({ status: 'applied', version: 2 });

    const laborer = (await officer({ url: `/api/v1/laborers/${laborerId}` })).json();
    expect(Object.keys(laborer).sort()).toEqual(
      ['id', 'householdId', 'regionCode', 'name', 'idNumberMasked', 'age', 'sex', 'phone', 'relationToHead', 'education', 'health', 'disabilityType', 'disabilityGrade', 'skills', 'certificates', 'isHardToEmploy', 'employmentStatus', 'employer', 'workPlace', 'employedSince', 'monthlyIncome', 'migrationStatus', 'awayPlace', 'awaySince', 'returnedAt', 'returnReason', 'serviceNeeds', 'wantedJobCategories', 'workScopes', 'preferredPlaces', 'minMonthlyWage', 'needsBoardLodging', 'trainingWanted', 'version', 'updatedAt'].sort(),
    );
    expect(laborer).toMatchObject({ ...edit, disabilityType: 'physical', disabilityGrade: 3, version: 2 });
    const household = (await officer({ url: `/api/v1/households/${householdId}` })).json();
    expect(household.members).toEqual([laborer]);
    expect(household.visits).toEqual([expect.objectContaining({ laborerId, location: { lat: 23.1, lng: 107.1, accuracy: 12 }, note: '走访', changedFields: ['phone'] })]);

    // The feed hands the officer's device the same views.
    const feed: Array<{ type: string; id: string; removed: boolean; record?: unknown }> = [];
    for (let since: string | undefined, more = true; more; ) {
      const page = (await officer({ url: `/api/v1/sync/changes?limit=1000${since ? `&since=${since}` : ''}` })).json();
      feed.push(...page.items);
      since = page.cursor;
      more = page.hasMore;
    }
    const { members: _m, visits, ...householdOnly } = household;
    expect(feed.find((i) => i.id === laborerId)).toEqual({ type: 'laborer', id: laborerId, removed: false, record: laborer });
    expect(feed.find((i) => i.id === householdId)).toEqual({ type: 'household', id: householdId, removed: false, record: householdOnly });
    expect(feed.find((i) => i.id === visits[0].id)).toEqual({ type: 'visit', id: visits[0].id, removed: false, record: visits[0] });

    const history = (await officer({ url: `/api/v1/laborers/${laborerId}/history` })).json();
    expect(history.items.map((i: { changes: unknown }) => i.changes)).toEqual([
      { created: { to: true } },
      { phone: { from: '13900004444', to: '13900005555' }, skills: { from: ['砌砖'], to: ['砌砖', '电焊'] }, monthlyIncome: { from: 2000, to: 3000 }, employmentStatus: { from: 'unemployed', to: 'local' }, employer: { from: null, to: '天等县某厂' } },
    ]);
    expect(history.items[1]).toEqual({ version: 2, at: expect.any(String), actorId: expect.any(String), deviceId: 'dev-closed-a', changes: expect.any(Object) });

    // Another device that started from version 1 edits the same fields: the conflict carries the server's values.
    const [conflict] = await syncAs(officer, 'dev-closed-b', [op('laborer.update', laborerId, { monthlyIncome: 2500, skills: ['木工'] }, 1)]);
    expect(conflict).toEqual({ opId: expect.any(String), status: 'conflict', entityId: laborerId, version: 2, conflicts: { monthlyIncome: { server: 3000, serverVersion: 2 }, skills: { server: ['砌砖', '电焊'], serverVersion: 2 } } });
  });

  it('a history row written before birth date and sex became unchangeable keeps them (and any ID number) in the database, not in the answer', async () => {
    await t.ds.query(
      `INSERT INTO record_changes (entity_type, entity_id, region_code, version, changes, actor_id) VALUES ('laborer', $1, $2, 3, $3, $4)`,
      [laborerId, R.villageA2, JSON.stringify({ birthDate: { from: '1990-01-01', to: '1990-02-02' }, sex: { from: 'male', to: 'female' }, idNumber: { to: '451425199002021234' }, name: { from: '农春生', to: '农春' } }), uuid()],
    );
    for (const api of [officer, staff]) {
      const history = (await api({ url: `/api/v1/laborers/${laborerId}/history` })).json();
      expect(history.items.find((i: { version: number }) => i.version === 3).changes).toEqual({ name: { from: '农春生', to: '农春' } });
      expect(JSON.stringify(history)).not.toMatch(/1990|451425199|female/);
    }
  });

  it('an audit event sends its action\'s detail: a real one whole, a stored field no schema names never, an event of no known shape with an empty detail', async () => {
    expect((await staff({ url: `/api/v1/households/${householdId}` })).statusCode).toBe(200);
    const planted = uuid();
    const insert = (action: string, detail: object) =>
      t.ds.query(`INSERT INTO audit_events (actor_id, actor_role, action, entity_type, entity_id, region_code, detail) VALUES (NULL, 'staff', $1, 'household', $2, $3, $4)`, [action, planted, R.villageA2, JSON.stringify(detail)]);
    await insert('household.read', { members: 1, visits: 0, phones: 'masked', phone: '13800004444', name: '农德福' });
    await insert('legacy.thing', { idNumber: '451425199002021234' });
    await insert('household.read', { members: 1 });

    const real = (await staff({ url: `/api/v1/audit-events?entityId=${householdId}&action=household.read&actorId=${staffId}` })).json();
    expect(real.items.map((e: { detail: unknown }) => e.detail)).toEqual([{ members: 1, visits: 1, phones: 'masked' }]);
    const events = (await staff({ url: `/api/v1/audit-events?entityId=${planted}` })).json();
    expect(events.items.map((e: { action: string; detail: unknown }) => [e.action, e.detail])).toEqual([
      ['household.read', {}],
      ['legacy.thing', {}],
      ['household.read', { members: 1, visits: 0, phones: 'masked' }],
    ]);
  });

  it('a notification sends its kind\'s data: the pointer, never the WeChat part or another field', async () => {
    const w = await workerLogin(t.app);
    const recommendationId = uuid();
    await t.ds.query(
      `INSERT INTO notifications (account_id, kind, title, body, data, dedupe_key, wechat_status) VALUES ($1, 'referral', '推荐', '岗位', $2, $3, 'skipped')`,
      [w.user.id, JSON.stringify({ recommendationId, wechat: { template: 'job_recommendation', page: 'pages/x', fields: { thing1: '秘密' } }, phone: '13800004444' }), `test:${uuid()}`],
    );
    const inbox = (await as(t.app, w.accessToken)({ url: '/api/v1/me/notifications' })).json();
    expect(inbox.items.map((n: { kind: string; data: unknown }) => [n.kind, n.data])).toEqual([['referral', { recommendationId }]]);
  });
});
