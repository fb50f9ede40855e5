import { createTestApp, TestApp } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('health and docs', () => {
  it('answers /healthz and /readyz with the database reachable', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('serves the OpenAPI document with every /api/v1 route and the error shape', async () => {
    const res = await t.app.inject({ url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/accounts', '/api/v1/accounts/{id}', '/api/v1/regions/{code}/children', '/api/v1/audit-events']));
    expect(doc.components.schemas.ErrorResponse).toBeDefined();
    expect((await t.app.inject({ url: '/docs/' })).statusCode).toBe(200);
  });

  it('the document says which routes need the token, and the routes agree', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json() as { security: unknown[]; paths: Record<string, Record<string, { security?: unknown[]; operationId?: string }>> };
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    const publicOps: string[] = [];
    const wrong: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const isPublic = Array.isArray(op.security) && op.security.length === 0;
        if (isPublic) publicOps.push(`${method} ${path}`);
        const url = path.replace(/\{[^}]+\}/g, '00000000-0000-0000-0000-000000000000');
        const res = await t.app.inject({ method: method.toUpperCase() as 'GET', url });
        if ((res.statusCode === 401) === isPublic) wrong.push(`${method} ${path}: ${res.statusCode}, documented ${isPublic ? 'public' : 'bearer'}`);
      }
    }
    expect(wrong).toEqual([]);
    // The certificate check is public by design: found only with its serial and random check code.
    expect(publicOps.sort()).toEqual(['get /api/v1/verify/certificates/{serial}', 'get /healthz', 'get /readyz', 'post /api/v1/auth/login', 'post /api/v1/auth/refresh', 'post /api/v1/auth/wechat']);
  });

  it('answers unknown routes with the one error shape and echoes a request id', async () => {
    const res = await t.app.inject({ url: '/api/v1/nope?name=张三' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a request id the proxy sent', async () => {
    const res = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'proxy-abc-123' } });
    expect(res.headers['x-request-id']).toBe('proxy-abc-123');
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });
});
