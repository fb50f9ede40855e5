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
