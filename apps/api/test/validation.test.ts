import { R } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp } from './helpers';

/** Bad input gets a 4xx naming the field, never a 500 and never a half-written row. */
let t: TestApp;
let staff: string;
beforeAll(async () => {
  t = await createTestApp();
  const a = await createAccount(t.ds, 'staff', R.tiandeng);
  staff = (await login(t.app, a.username)).accessToken;
});
afterAll(() => t.close());

const good = { username: 'new-officer', password: 'long-enough-pw', role: 'officer', regionCode: R.villageA1, name: '韦小宝' };

describe('POST /api/v1/accounts rejects bad bodies field by field', () => {
  // The `fields` keys are the request's own (clients put each message beside its field); the message users
  // see names the field in Chinese: the schema's title (姓名), else the shared FIELD_LABELS (区域).
  it.each([
    ['a missing field', { ...good, name: undefined }, 'name', '必填', '姓名'],
    ['a wrong type', { ...good, regionCode: 451425100001 }, 'regionCode', '文本', '区域'],
    ['an unknown field', { ...good, isAdmin: true }, 'isAdmin', '不允许', '字段“isAdmin”'],
    ['an overlong name', { ...good, name: '长'.repeat(10_000) }, 'name', '50', '姓名'],
    ['a blank name', { ...good, name: '   ' }, 'name', '格式', '姓名'],
    ['a malformed region code', { ...good, regionCode: '4514251' }, 'regionCode', '格式', '区域'],
    ['a region code with letters', { ...good, regionCode: '45142510000a' }, 'regionCode', '格式', '区域'],
    ['an unknown role', { ...good, role: 'superuser' }, 'role', '范围', '角色'],
    ['a short password', { ...good, password: 'short' }, 'password', '8', '密码'],
    ['a username with spaces', { ...good, username: 'new officer' }, 'username', '格式', '用户名'],
    ['a region that does not exist', { ...good, regionCode: '451425199999' }, 'regionCode', '不存在', '区域'],
  ])('%s: 400 naming the field', async (_label, payload, field, hint, label) => {
    const res = await as(t.app, staff)({ method: 'POST', url: '/api/v1/accounts', payload });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.fields[field]).toContain(hint);
    expect(error.message).toBe(`提交的内容有误：${label}：${error.fields[field]}`);
    expect(await t.ds.query('SELECT 1 FROM accounts WHERE username = $1', [good.username])).toHaveLength(0);
  });

  it('reports every bad field at once, each by its Chinese name', async () => {
    const res = await as(t.app, staff)({ method: 'POST', url: '/api/v1/accounts', payload: { username: '', password: 1, role: 'x', extra: 1 } });
    const { fields, message } = res.json().error;
    expect(Object.keys(fields).sort()).toEqual(['extra', 'name', 'password', 'regionCode', 'role', 'username']);
    for (const label of ['用户名：', '密码：', '角色：', '区域：', '姓名：', '字段“extra”：']) expect(message).toContain(label);
    expect(message).not.toMatch(/(^|[：；])(username|password|role|regionCode|name)：/);
  });

  it('a field inside a list is named by the list, the item and the field', async () => {
    const manager = (await login(t.app, (await createAccount(t.ds, 'staff', R.tiandeng)).username)).accessToken;
    const res = await as(t.app, manager)({
      method: 'POST',
      url: '/api/v1/transport/trips',
      payload: { title: '春节返岗', drivers: [{ name: '韦师傅', phone: '13800000000' }, { phone: '13800000001' }], pickupPoints: [{ name: '', time: 'soon' }] },
    });
    expect(res.statusCode).toBe(400);
    const { fields, message } = res.json().error;
    expect(fields).toMatchObject({ 'drivers.1.name': '必填', 'pickupPoints.0.name': '不能为空', 'pickupPoints.0.time': '格式不正确' });
    expect(message).toContain('司机第2项·姓名：必填');
    expect(message).toContain('上车点第1项·地点：不能为空');
    expect(message).toContain('上车点第1项·时间：格式不正确');
  });

  it('a taken username is 409 naming the field', async () => {
    const existing = await createAccount(t.ds, 'officer', R.villageA1);
    const res = await as(t.app, staff)({ method: 'POST', url: '/api/v1/accounts', payload: { ...good, username: existing.username } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.fields).toHaveProperty('username');
  });
});

describe('malformed requests of every kind are 4xx, never 500', () => {
  it.each([
    ['invalid JSON', { method: 'POST', url: '/api/v1/auth/login', payload: '{"username":', headers: { 'content-type': 'application/json' } }, 400],
    ['plain text', { method: 'POST', url: '/api/v1/auth/login', payload: 'username=a', headers: { 'content-type': 'text/plain' } }, 400],
    ['an unsupported content type', { method: 'POST', url: '/api/v1/auth/login', payload: '<a/>', headers: { 'content-type': 'application/xml' } }, 415],
    ['a body that is an array', { method: 'POST', url: '/api/v1/auth/login', payload: '[]', headers: { 'content-type': 'application/json' } }, 400],
    ['a null body', { method: 'POST', url: '/api/v1/auth/login', payload: 'null', headers: { 'content-type': 'application/json' } }, 400],
    ['an overlong username at login', { method: 'POST', url: '/api/v1/auth/login', payload: { username: 'a'.repeat(10_000), password: 'x' } }, 400],
    ['a huge body', { method: 'POST', url: '/api/v1/auth/login', payload: { username: 'a', password: 'x'.repeat(2_000_000) } }, 413],
  ])('%s', async (_label, req, status) => {
    const res = await t.app.inject(req as never);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    // An oversize body is told the route's limit.
    if (status === 413) expect(res.json().error.message).toBe('请求内容过大：此接口最多接受 1 MB');
  });

  it.each([
    ['/api/v1/accounts/not-a-uuid', 'params.id'],
    ['/api/v1/accounts?limit=0', 'query.limit'],
    ['/api/v1/accounts?limit=abc', 'query.limit'],
    ['/api/v1/accounts?cursor=%%%', 'query.cursor'],
    ['/api/v1/accounts?cursor=bm90LWpzb24', 'query.cursor'],
    ['/api/v1/accounts?role=boss', 'query.role'],
    ['/api/v1/accounts?regionCode=45-14', 'query.regionCode'],
    ['/api/v1/accounts?unknown=1', 'query.unknown'],
    ['/api/v1/regions/123/children', 'params.code'],
    ['/api/v1/audit-events?since=yesterday', 'query.since'],
  ])('GET %s names %s', async (url, field) => {
    const res = await as(t.app, staff)({ url });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields ?? {})).toContain(field);
    // The message names it in Chinese, not by its key (an unknown parameter keeps its name, quoted).
    expect(res.json().error.message).not.toContain(field);
  });

  it.each([
    ['/api/v1/accounts?limit=0', '提交的内容有误：每页条数：不能小于1'],
    ['/api/v1/accounts/not-a-uuid', '提交的内容有误：编号：格式不正确'],
    ['/api/v1/regions/123/children', '提交的内容有误：区划代码：格式不正确'],
    ['/api/v1/accounts?unknown=1', '提交的内容有误：字段“unknown”：不允许的字段'],
  ])('GET %s says %s', async (url, message) => {
    const res = await as(t.app, staff)({ url });
    expect(res.json().error.message).toBe(message);
  });

  it('an empty PATCH is refused', async () => {
    const a = await createAccount(t.ds, 'officer', R.villageA2);
    const res = await as(t.app, staff)({ method: 'PATCH', url: `/api/v1/accounts/${a.id}`, payload: {} });
    expect(res.statusCode).toBe(400);
  });
});
