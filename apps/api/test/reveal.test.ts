import { ROLES, type Role } from '@jobbridge/shared';
import { R } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';
import { householdBatch, sync } from './survey-fixtures';

/**
 * The full ID number: only admin and staff of the person's area, only with a reason (2-200 characters, no
 * number in it), and the reason is kept in the reveal's own audit event, which the audit log shows.
 */
let t: TestApp;
let laborerId: string;
let idNumber: string;
const tokens = {} as Record<Role | 'otherStaff', string>;

beforeAll(async () => {
  t = await createTestApp();
  const tok = async (role: Role, region: string | null, name?: string) => (await login(t.app, (await createAccount(t.ds, role, region, name)).username)).accessToken;
  tokens.admin = await tok('admin', null);
  tokens.staff = await tok('staff', R.townA, '镇人社所韦查看');
  tokens.officer = await tok('officer', R.villageA1);
  tokens.grid_leader = await tok('grid_leader', R.villageA1);
  tokens.worker = (await workerLogin(t.app)).accessToken;
  // An employer contact: a WeChat account whose role an invite code changed (employer-contacts.test.ts does it through the API).
  const contact = await workerLogin(t.app);
  await t.ds.query(`UPDATE accounts SET role = 'employer_contact' WHERE id = $1`, [contact.user.id]);
  tokens.employer_contact = contact.accessToken;
  // Staff of the next township: the person is not in their area.
  tokens.otherStaff = await tok('staff', R.townB);
  const b = householdBatch(R.villageA1, 1);
  await sync(t.app, tokens.officer, 'dev-reveal', b.ops);
  laborerId = b.laborers[0].id;
  idNumber = b.laborers[0].data.idNumber as string;
});
afterAll(() => t.close());

const reveal = (token: string, payload: unknown, id = laborerId) => as(t.app, token)({ method: 'POST', url: `/api/v1/laborers/${id}/reveal-id-number`, payload: payload as object });
const reveals = async (): Promise<Array<{ actor_role: string; detail: { reason?: string } }>> =>
  t.ds.query(`SELECT actor_role, detail FROM audit_events WHERE entity_id = $1 AND action = 'laborer.reveal_id_number' ORDER BY id`, [laborerId]);

describe('POST /api/v1/laborers/:id/reveal-id-number', () => {
  it.each(ROLES)('as %s: the number with a reason only to admin and the staff of the area', async (role) => {
    const before = (await reveals()).length;
    const res = await reveal(tokens[role], { reason: `  ${role} 核对社保补贴申报  ` });
    if (role === 'admin' || role === 'staff') {
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ idNumber });
      const events = await reveals();
      expect(events).toHaveLength(before + 1);
      expect(events[events.length - 1]).toEqual({ actor_role: role, detail: { reason: `${role} 核对社保补贴申报` } });
    } else {
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain(idNumber);
      expect(await reveals()).toHaveLength(before);
    }
  });

  it('staff of another area get 404, the number not shown and nothing audited as a reveal', async () => {
    const before = (await reveals()).length;
    const res = await reveal(tokens.otherStaff, { reason: '核对社保补贴申报' });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(idNumber);
    expect(await reveals()).toHaveLength(before);
  });

  it.each([
    ['missing', {}, '请填写查看理由'],
    ['blank', { reason: '   ' }, '请填写查看理由'],
    ['one character', { reason: '查' }, '请填写查看理由，至少 2 个字'],
    ['over 200 characters', { reason: '核'.repeat(201) }, '查看理由不能超过 200 个字'],
    ['holding a phone number', { reason: '本人来电 13800138000 要求核对' }, '查看理由中不能写身份证号、手机号等号码'],
  ])('a reason %s is a 400 naming 查看理由, with no number and no reveal audited', async (_name, payload, message) => {
    const before = (await reveals()).length;
    const res = await reveal(tokens.staff, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.reason).toContain(message);
    expect(res.json().error.message).toContain('查看理由');
    expect(res.body).not.toContain(idNumber);
    expect(await reveals()).toHaveLength(before);
  });

  it('200 characters are enough; the record read alone never holds the number, and the old ?reveal= is refused', async () => {
    expect((await reveal(tokens.staff, { reason: '核'.repeat(200) })).statusCode).toBe(200);
    const read = await as(t.app, tokens.staff)({ url: `/api/v1/laborers/${laborerId}` });
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain(idNumber);
    const old = await as(t.app, tokens.staff)({ url: `/api/v1/laborers/${laborerId}?reveal=idNumber` });
    expect(old.statusCode).toBe(400);
    expect(old.body).not.toContain(idNumber);
  });

  it('the audit log shows the reveal with its reason and who asked, by name, to the staff of the area', async () => {
    await reveal(tokens.staff, { reason: '办理一次性求职补贴' });
    const res = await as(t.app, tokens.staff)({ url: `/api/v1/audit-events?entityId=${laborerId}&action=laborer.reveal_id_number&limit=50` });
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0]).toMatchObject({ action: 'laborer.reveal_id_number', actorRole: 'staff', actorName: '镇人社所韦查看', regionCode: R.villageA1, detail: { reason: '办理一次性求职补贴' } });
  });
});
