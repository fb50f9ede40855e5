import type { FastifyInstance } from 'fastify';
import { AREAS } from './fixtures';
import { as, createAccount, createTestApp, LocalWeChatClient, login, TestApp, workerLogin } from './helpers';
import { clientId, person, type ChatPerson } from './chat-fixtures';
import { createEmployer } from './jobs-fixtures';
import { householdData, laborerData, op, sync, uuid } from './survey-fixtures';
import { CODE_ENTRY_MAX_FAILURES } from '../src/modules/workers/code-entry';

/**
 * Employer contacts (企业联系人): invite codes (who may make them, for which employers), redeeming one (a
 * WeChat account becomes the employer's contact, with new tokens; a worker bound to a laborer is refused;
 * entries limited with the binding codes'), posting proposals (the posting form's checks, accepted through
 * the jobs service or rejected, once, only by staff of the employer's area), the worker's consent and the
 * candidates (name and phone only, gone when consent or interest is withdrawn), and the chat rules.
 */
const A = AREAS.employerContacts;
let t: TestApp;
let app: FastifyInstance;
let staff: ChatPerson;
let siblingStaff: ChatPerson;
let otherCountyStaff: ChatPerson;
let grid: ChatPerson;
let siblingGrid: ChatPerson;
let officer: ChatPerson;
let officerToken: string;
let employerId: string;
let cityEmployerId: string;
let staffAccountId: string;

const day = 86_400_000;
const dateIn = (days: number) => new Date(Date.now() + days * day).toISOString().slice(0, 10);
const proposal = (over: Record<string, unknown> = {}) => ({
  title: '电子厂普工',
  categoryCode: 'manufacturing.general_worker',
  workRegionCode: A.town,
  wageMin: 3800,
  wageMax: 5200,
  headcount: 20,
  validFrom: dateIn(-1),
  validTo: dateIn(90),
  ...over,
});

async function audits(action: string, entityId: string): Promise<Array<{ actor_id: string; detail: Record<string, unknown> }>> {
  return t.ds.query('SELECT actor_id, detail FROM audit_events WHERE action = $1 AND entity_id = $2 ORDER BY at', [action, entityId]);
}

/** A fresh WeChat account turned into a contact of `employer` through an invite from `by`. */
async function contactOf(employer: string, by: ChatPerson = staff, name?: string): Promise<ChatPerson & { wechatToken: string }> {
  const invite = await by.call({ method: 'POST', url: `/api/v1/employers/${employer}/contact-invites`, payload: {} });
  expect(invite.statusCode).toBe(201);
  const w = await workerLogin(app);
  const res = await as(app, w.accessToken)({ method: 'POST', url: '/api/v1/me/employer-binding', payload: { code: invite.json().code, ...(name ? { name } : {}) } });
  expect(res.statusCode).toBe(201);
  const token = res.json().tokens.accessToken;
  return { id: w.user.id, token, call: as(app, token), wechatToken: w.accessToken };
}

/** A worker of the village: a laborer surveyed with a phone, bound to a fresh WeChat account. */
async function boundWorker(name: string, phone: string): Promise<ChatPerson & { laborerId: string }> {
  const h = uuid();
  const l = uuid();
  const res = await sync(app, officerToken, 'dev-employer', [op('household.create', h, householdData(A.village)), op('laborer.create', l, laborerData(h, { name, phone }))]);
  expect(res.map((r) => r.status)).toEqual(['applied', 'applied']);
  const w = await workerLogin(app);
  await t.ds.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2)', [w.user.id, l]);
  return { id: w.user.id, token: w.accessToken, call: as(app, w.accessToken), laborerId: l };
}

beforeAll(async () => {
  // A database of its own: the outbox's delivery run (the outcome notice) must not send other files' messages.
  t = await createTestApp({}, { ownDatabase: true });
  app = t.app;
  staff = await person(app, t.ds, 'staff', A.town);
  staffAccountId = staff.id;
  siblingStaff = await person(app, t.ds, 'staff', A.siblingTown);
  otherCountyStaff = await person(app, t.ds, 'staff', A.otherCounty);
  grid = await person(app, t.ds, 'grid_leader', A.village);
  siblingGrid = await person(app, t.ds, 'grid_leader', `${A.siblingTown}201`);
  const o = await createAccount(t.ds, 'officer', A.village);
  officerToken = (await login(app, o.username)).accessToken;
  officer = { id: o.id, token: officerToken, call: as(app, officerToken) };
  employerId = (await createEmployer(t.ds, staffAccountId, { regionCode: A.town, locationRegionCode: A.town, name: `棠下电子厂-${uuid().slice(0, 6)}` })).id;
  // Managed by the city: on the grid's supply list, but not its county's.
  cityEmployerId = (await createEmployer(t.ds, staffAccountId, { regionCode: A.county.slice(0, 4), locationRegionCode: A.town })).id;
}, 120_000);
afterAll(() => t?.close());

describe('invite codes', () => {
  it('staff of the employer\'s area make one: 16 digits, 7 days, audited without the code', async () => {
    const res = await staff.call({ method: 'POST', url: `/api/v1/employers/${employerId}/contact-invites`, payload: { contactName: '韦经理' } });
    expect(res.statusCode).toBe(201);
    const { code, expiresAt } = res.json();
    expect(code).toMatch(/^\d{16}$/);
    expect(Math.round((Date.parse(expiresAt) - Date.now()) / day)).toBe(7);
    const [row] = await t.ds.query('SELECT code_hash, contact_name FROM employer_invites WHERE employer_id = $1 ORDER BY created_at DESC LIMIT 1', [employerId]);
    expect(row.code_hash).not.toContain(code);
    expect(row.contact_name).toBe('韦经理');
    const [audit] = (await audits('employer_invite.create', employerId)).filter((a) => a.actor_id === staff.id);
    expect(JSON.stringify(audit.detail)).not.toContain(code);
  });

  it('the grid leader makes one for an employer of the county\'s list their grid sees, not for the city\'s', async () => {
    // No body at all is fine.
    expect((await grid.call({ method: 'POST', url: `/api/v1/employers/${employerId}/contact-invites` })).statusCode).toBe(201);
    const city = await grid.call({ method: 'POST', url: `/api/v1/employers/${cityEmployerId}/contact-invites` });
    expect([city.statusCode, city.json().error.code]).toEqual([403, 'OUT_OF_AREA']);
    expect(city.json().error.message).toContain('网格长');
  });

  it('another township\'s or county\'s staff and grid leader get 404; an officer is refused by the table', async () => {
    for (const who of [siblingStaff, otherCountyStaff, siblingGrid]) {
      const res = await who.call({ method: 'POST', url: `/api/v1/employers/${employerId}/contact-invites`, payload: {} });
      expect(res.statusCode).toBe(404);
    }
    expect((await officer.call({ method: 'POST', url: `/api/v1/employers/${employerId}/contact-invites`, payload: {} })).statusCode).toBe(403);
    expect((await audits('employer_invite.create', employerId)).map((a) => a.actor_id)).not.toContain(siblingStaff.id);
  });
});

describe('redeeming a code', () => {
  it('makes an unbound WeChat account the contact, with new tokens (the old session ends), once', async () => {
    const invite = (await staff.call({ method: 'POST', url: `/api/v1/employers/${employerId}/contact-invites`, payload: { contactName: '黄主管' } })).json();
    const wx = `wx-contact-${uuid()}`;
    const w = await workerLogin(app, wx);
    const res = await as(app, w.accessToken)({ method: 'POST', url: '/api/v1/me/employer-binding', payload: { code: invite.code.replace(/(\d{4})(?=\d)/g, '$1 ') } });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.employer.id).toBe(employerId);
    expect(body.tokens.user).toMatchObject({ id: w.user.id, role: 'employer_contact', name: '黄主管', regionCode: null });
    // The worker session is over; the new one is the contact's.
    expect((await as(app, w.accessToken)({ url: '/api/v1/me/binding' })).statusCode).toBe(401);
    const me = await as(app, body.tokens.accessToken)({ url: '/api/v1/me/employer' });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ employer: { id: employerId, name: body.employer.name, regionCode: A.town }, name: '黄主管' });
    expect((await audits('employer_contact.bind', employerId)).map((a) => a.actor_id)).toContain(w.user.id);
    // Used up: a second account gets the one answer for every bad code.
    const again = await as(app, (await workerLogin(app)).accessToken)({ method: 'POST', url: '/api/v1/me/employer-binding', payload: { code: invite.code } });
    expect([again.statusCode, Object.keys(again.json().error.fields)]).toEqual([400, ['code']]);
    // Signing in with WeChat again: the contact, not a worker.
    const again2 = await workerLogin(app, wx);
    expect(again2.user).toMatchObject({ id: w.user.id, role: 'employer_contact' });
    expect((await as(app, again2.accessToken)({ url: '/api/v1/me/employer' })).statusCode).toBe(200);
  });

  it('a WeChat account bound to a laborer is refused in Chinese and stays a worker', async () => {
    const worker = await boundWorker('覃已绑', '13900001101');
    const invite = (await staff.call({ method: 'POST', url: `/api/v1/employers/${employerId}/contact-invites`, payload: {} })).json();
    const res = await worker.call({ method: 'POST', url: '/api/v1/me/employer-binding', payload: { code: invite.code } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('已绑定劳动力信息');
    const [a] = await t.ds.query('SELECT role FROM accounts WHERE id = $1', [worker.id]);
    expect(a.role).toBe('worker');
    expect(await t.ds.query('SELECT id FROM employer_invites WHERE used_by = $1', [worker.id])).toEqual([]);
    expect(await t.ds.query('SELECT 1 FROM employer_contacts WHERE account_id = $1', [worker.id])).toEqual([]);
  });

  it(`shares the binding codes' budget: ${CODE_ENTRY_MAX_FAILURES} failures of either kind, then 429 even for the right code`, async () => {
    const w = await workerLogin(app);
    const call = as(app, w.accessToken);
    // One wrong binding code (the worker's kind of code) and the rest wrong invite codes.
    expect((await call({ method: 'POST', url: '/api/v1/me/binding', payload: { code: '000000000001', idNumberTail: '1234' } })).statusCode).toBe(400);
    for (let i = 1; i < CODE_ENTRY_MAX_FAILURES; i++) {
      expect((await call({ method: 'POST', url: '/api/v1/me/employer-binding', payload: { code: String(1000000000000000 + i) } })).statusCode).toBe(400);
    }
    const invite = (await staff.call({ method: 'POST', url: `/api/v1/employers/${employerId}/contact-invites`, payload: {} })).json();
    const limited = await call({ method: 'POST', url: '/api/v1/me/employer-binding', payload: { code: invite.code } });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.message).toContain('次数过多');
  });

  it('a malformed code names the field', async () => {
    const res = await as(app, (await workerLogin(app)).accessToken)({ method: 'POST', url: '/api/v1/me/employer-binding', payload: { code: '12ab' } });
    expect([res.statusCode, res.json().error.fields]).toEqual([400, { code: '邀请码是 16 位数字' }]);
  });
});

describe('posting proposals', () => {
  let contact: ChatPerson;
  beforeAll(async () => {
    contact = await contactOf(employerId);
  });

  it('are checked like POST /postings, with the same Chinese field errors', async () => {
    const res = await contact.call({ method: 'POST', url: '/api/v1/me/posting-proposals', payload: proposal({ wageMin: 6000, wageMax: 5000, title: ' ' }) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({ title: '不能为空', wageMax: '不能低于月薪下限' });
    expect(res.json().error.message).toContain('月薪上限');
    const region = await contact.call({ method: 'POST', url: '/api/v1/me/posting-proposals', payload: proposal({ workRegionCode: '440703999' }) });
    expect([region.statusCode, region.json().error.fields]).toEqual([400, { workRegionCode: '区划代码不存在' }]);
    // The status is not the contact's to set (the posting opens when accepted), nor the employer.
    expect((await contact.call({ method: 'POST', url: '/api/v1/me/posting-proposals', payload: proposal({ status: 'open' }) })).statusCode).toBe(400);
    expect((await contact.call({ method: 'POST', url: '/api/v1/me/posting-proposals', payload: proposal({ employerId: cityEmployerId }) })).statusCode).toBe(400);
  });

  it('staff of the area accept one (with a correction) into the supply list through the jobs service; once', async () => {
    const created = await contact.call({ method: 'POST', url: '/api/v1/me/posting-proposals', payload: proposal({ title: '装配工（待审）' }) });
    expect(created.statusCode).toBe(201);
    const p = created.json();
    expect(p).toMatchObject({ status: 'pending', employerId, title: '装配工（待审）', headcount: 20, postingId: null, reason: null });
    expect((await audits('posting_proposal.create', p.id)).map((a) => a.actor_id)).toEqual([contact.id]);
    // Another area's staff neither see it nor can decide it.
    for (const who of [siblingStaff, otherCountyStaff]) {
      const list = await who.call({ url: '/api/v1/posting-proposals?status=pending&limit=200' });
      expect(list.statusCode).toBe(200);
      expect(list.json().items.map((x: { id: string }) => x.id)).not.toContain(p.id);
      expect((await who.call({ method: 'POST', url: `/api/v1/posting-proposals/${p.id}/accept`, payload: {} })).statusCode).toBe(404);
      expect((await who.call({ method: 'POST', url: `/api/v1/posting-proposals/${p.id}/reject`, payload: { reason: '越界' } })).statusCode).toBe(404);
    }
    const mine = await staff.call({ url: '/api/v1/posting-proposals?status=pending' });
    expect(mine.json().items.map((x: { id: string }) => x.id)).toContain(p.id);
    // The correction is checked like the posting form.
    const bad = await staff.call({ method: 'POST', url: `/api/v1/posting-proposals/${p.id}/accept`, payload: { wageMax: 100 } });
    expect([bad.statusCode, bad.json().error.fields]).toEqual([400, { wageMax: '不能低于月薪下限' }]);
    const res = await staff.call({ method: 'POST', url: `/api/v1/posting-proposals/${p.id}/accept`, payload: { title: '装配工', headcount: 15 } });
    expect(res.statusCode).toBe(200);
    const accepted = res.json();
    // The proposal keeps what the employer submitted; the posting is what staff published.
    expect(accepted).toMatchObject({ id: p.id, status: 'accepted', title: '装配工（待审）', headcount: 20 });
    const posting = await staff.call({ url: `/api/v1/postings/${accepted.postingId}` });
    expect(posting.json()).toMatchObject({ employerId, title: '装配工', headcount: 15, status: 'open', wageMin: 3800 });
    // The same path as POST /postings: audited as a posting, matching queued.
    expect(await audits('posting.create', accepted.postingId)).toHaveLength(1);
    expect((await staff.call({ url: `/api/v1/postings/${accepted.postingId}/recommendation-counts` })).json().matchingPending).toBe(true);
    expect((await audits('posting_proposal.accept', p.id))[0].detail).toEqual({ postingId: accepted.postingId, fields: ['title', 'headcount'] });
    // Decided once.
    for (const [action, payload] of [['accept', {}], ['reject', { reason: '重复' }]] as const) {
      const again = await staff.call({ method: 'POST', url: `/api/v1/posting-proposals/${p.id}/${action}`, payload });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toContain('已处理过');
    }
    expect(await t.ds.query('SELECT id FROM postings WHERE employer_id = $1 AND title = $2', [employerId, '装配工'])).toHaveLength(1);
    // The contact sees the outcome.
    const seen = (await contact.call({ url: '/api/v1/me/posting-proposals' })).json().items.find((x: { id: string }) => x.id === p.id);
    expect(seen).toMatchObject({ status: 'accepted', postingId: accepted.postingId });
  });

  it('a rejection needs a reason, which the contact reads', async () => {
    const p = (await contact.call({ method: 'POST', url: '/api/v1/me/posting-proposals', payload: proposal({ title: '夜班保安' }) })).json();
    expect((await staff.call({ method: 'POST', url: `/api/v1/posting-proposals/${p.id}/reject`, payload: { reason: '  ' } })).json().error.fields).toEqual({ reason: '请写明不采纳的原因，企业联系人会看到' });
    const res = await staff.call({ method: 'POST', url: `/api/v1/posting-proposals/${p.id}/reject`, payload: { reason: '工资低于本县最低工资标准' } });
    expect(res.json()).toMatchObject({ status: 'rejected', reason: '工资低于本县最低工资标准', postingId: null });
    expect(await audits('posting_proposal.reject', p.id)).toHaveLength(1);
    const seen = (await contact.call({ url: '/api/v1/me/posting-proposals' })).json().items.find((x: { id: string }) => x.id === p.id);
    expect(seen).toMatchObject({ status: 'rejected', reason: '工资低于本县最低工资标准' });
    expect((await staff.call({ url: '/api/v1/posting-proposals?status=rejected' })).json().items.map((x: { id: string }) => x.id)).toContain(p.id);
  });

  it('a contact sees only their own employer\'s proposals', async () => {
    const other = await contactOf((await createEmployer(t.ds, staffAccountId, { regionCode: A.town, locationRegionCode: A.town })).id);
    expect((await other.call({ url: '/api/v1/me/posting-proposals' })).json().items).toEqual([]);
  });
});

describe('the outcome notice to the proposing contact', () => {
  type Notice = { id: string; kind: string; title: string; body: string; data: Record<string, unknown>; readAt: string | null };
  const inbox = async (who: ChatPerson): Promise<Notice[]> => {
    const res = await who.call({ url: '/api/v1/me/notifications?limit=100' });
    expect(res.statusCode).toBe(200);
    return (res.json().items as Notice[]).filter((n) => n.kind === 'proposal');
  };
  const propose = async (who: ChatPerson, title: string): Promise<string> => {
    const res = await who.call({ method: 'POST', url: '/api/v1/me/posting-proposals', payload: proposal({ title }) });
    expect(res.statusCode).toBe(201);
    return res.json().id;
  };
  let contact: ChatPerson & { wechatToken: string };
  let colleague: ChatPerson;
  let otherContact: ChatPerson;
  beforeAll(async () => {
    contact = await contactOf(employerId);
    // A second contact of the same employer, and one of another employer.
    colleague = await contactOf(employerId);
    otherContact = await contactOf((await createEmployer(t.ds, staffAccountId, { regionCode: A.town, locationRegionCode: A.town })).id);
  });

  it('accepted: one notice with the posting, in the proposer\'s inbox only; WeChat sends it once where they hold a subscription', async () => {
    await t.ds.query(`INSERT INTO wechat_subscriptions (account_id, template_key) VALUES ($1, 'proposal_result')`, [contact.id]);
    const id = await propose(contact, '注塑工（通知）');
    expect(await inbox(contact)).toEqual([]);
    const res = await staff.call({ method: 'POST', url: `/api/v1/posting-proposals/${id}/accept`, payload: { title: '注塑操作工' } });
    expect(res.statusCode).toBe(200);
    const postingId = res.json().postingId;
    const mine = (await inbox(contact)).filter((n) => n.data.proposalId === id);
    expect(mine).toEqual([
      expect.objectContaining({ title: '岗位已采纳：注塑工（通知）', data: { proposalId: id, status: 'accepted', postingId }, readAt: null }),
    ]);
    expect(mine[0].body).toContain('“注塑工（通知）”已由人社工作人员采纳，以“注塑操作工”发布');
    // Nobody else: the colleague at the same employer, another employer's contact, the staff who decided.
    for (const who of [colleague, otherContact, staff]) expect((await inbox(who)).filter((n) => n.data.proposalId === id)).toEqual([]);
    // Someone else's notice is not theirs to mark.
    expect((await otherContact.call({ method: 'POST', url: `/api/v1/me/notifications/${mine[0].id}/read` })).statusCode).toBe(404);
    // The outbox: 岗位审核结果通知 to the contact's openid, once, however often delivery runs.
    const wechat = app.wechat as LocalWeChatClient;
    const [{ wechat_openid: openid }] = await t.ds.query('SELECT wechat_openid FROM accounts WHERE id = $1', [contact.id]);
    await app.notificationsService.deliverDue();
    await app.notificationsService.deliverDue();
    const sent = wechat.sent.filter((m) => m.openid === openid);
    expect(sent).toEqual([{ openid, templateId: 'local-proposal_result', page: 'pages/employer/index', data: { thing1: '注塑工（通知）', phrase2: '已采纳', thing3: '已进入岗位供给清单' } }]);
  });

  it('rejected: the notice carries the staff\'s reason', async () => {
    const id = await propose(contact, '夜班叉车工（通知）');
    const res = await staff.call({ method: 'POST', url: `/api/v1/posting-proposals/${id}/reject`, payload: { reason: '未写明夜班补贴，请补充后重新提交' } });
    expect(res.statusCode).toBe(200);
    const [n] = (await inbox(contact)).filter((x) => x.data.proposalId === id);
    expect(n).toMatchObject({ title: '岗位未采纳：夜班叉车工（通知）', data: { proposalId: id, status: 'rejected', postingId: null } });
    expect(n.body).toContain('原因：未写明夜班补贴，请补充后重新提交');
    for (const who of [colleague, otherContact]) expect((await inbox(who)).filter((x) => x.data.proposalId === id)).toEqual([]);
  });

  it('is written in the decision\'s transaction: when the notice cannot be written, the decision and its posting are not either', async () => {
    const acceptId = await propose(contact, '包装工（回滚）');
    const rejectId = await propose(contact, '搬运工（回滚）');
    // The last write of the decision fails: the notification row, refused by a trigger for these two proposals only.
    await t.ds.query(`CREATE FUNCTION refuse_notice() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'notice refused (test)'; END $$`);
    await t.ds.query(
      `CREATE TRIGGER refuse_notice BEFORE INSERT ON notifications FOR EACH ROW WHEN (NEW.dedupe_key IN ('proposal:${acceptId}', 'proposal:${rejectId}')) EXECUTE FUNCTION refuse_notice()`,
    );
    try {
      expect((await staff.call({ method: 'POST', url: `/api/v1/posting-proposals/${acceptId}/accept`, payload: {} })).statusCode).toBe(500);
      expect((await staff.call({ method: 'POST', url: `/api/v1/posting-proposals/${rejectId}/reject`, payload: { reason: '重复提交' } })).statusCode).toBe(500);
    } finally {
      await t.ds.query('DROP TRIGGER refuse_notice ON notifications');
      await t.ds.query('DROP FUNCTION refuse_notice()');
    }
    // Nothing of either decision stayed: both pending, no posting, no audit, no notice.
    const rows = await t.ds.query('SELECT id, status, posting_id, reason, decided_at FROM posting_proposals WHERE id = ANY($1::uuid[]) ORDER BY id', [[acceptId, rejectId]]);
    expect(rows.map((r: Record<string, unknown>) => [r.status, r.posting_id, r.reason, r.decided_at])).toEqual([
      ['pending', null, null, null],
      ['pending', null, null, null],
    ]);
    expect(await t.ds.query('SELECT id FROM postings WHERE employer_id = $1 AND title = $2', [employerId, '包装工（回滚）'])).toEqual([]);
    expect(await audits('posting_proposal.accept', acceptId)).toEqual([]);
    expect(await audits('posting_proposal.reject', rejectId)).toEqual([]);
    expect((await inbox(contact)).filter((n) => [acceptId, rejectId].includes(n.data.proposalId as string))).toEqual([]);
    // Decided again, each is whole: the status and its one notice.
    expect((await staff.call({ method: 'POST', url: `/api/v1/posting-proposals/${acceptId}/accept`, payload: {} })).statusCode).toBe(200);
    expect((await staff.call({ method: 'POST', url: `/api/v1/posting-proposals/${rejectId}/reject`, payload: { reason: '重复提交' } })).statusCode).toBe(200);
    const notices = (await inbox(contact)).filter((n) => [acceptId, rejectId].includes(n.data.proposalId as string));
    expect(notices.map((n) => n.data.status).sort()).toEqual(['accepted', 'rejected']);
  });

  it('is not written beside the decision: a decision that fails at its commit leaves no notice', async () => {
    const acceptId = await propose(contact, '焊工（提交失败）');
    const rejectId = await propose(contact, '仓管员（提交失败）');
    // The decision's transaction fails when it commits, after every write of it (the notice included) went through:
    // a deferred constraint trigger on the proposal's update, for these two proposals only. A notice written on
    // another connection (outside the transaction) would have been committed already and stay.
    await t.ds.query(`CREATE FUNCTION refuse_decision() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'decision refused at commit (test)'; END $$`);
    await t.ds.query(
      `CREATE CONSTRAINT TRIGGER refuse_decision AFTER UPDATE ON posting_proposals DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.id IN ('${acceptId}', '${rejectId}')) EXECUTE FUNCTION refuse_decision()`,
    );
    try {
      expect((await staff.call({ method: 'POST', url: `/api/v1/posting-proposals/${acceptId}/accept`, payload: {} })).statusCode).toBe(500);
      expect((await staff.call({ method: 'POST', url: `/api/v1/posting-proposals/${rejectId}/reject`, payload: { reason: '重复提交' } })).statusCode).toBe(500);
    } finally {
      await t.ds.query('DROP TRIGGER refuse_decision ON posting_proposals');
      await t.ds.query('DROP FUNCTION refuse_decision()');
    }
    expect((await t.ds.query('SELECT status FROM posting_proposals WHERE id = ANY($1::uuid[])', [[acceptId, rejectId]])).map((r: { status: string }) => r.status)).toEqual(['pending', 'pending']);
    expect(await t.ds.query('SELECT id FROM notifications WHERE dedupe_key = ANY($1::varchar[])', [[`proposal:${acceptId}`, `proposal:${rejectId}`]])).toEqual([]);
    expect((await inbox(contact)).filter((n) => [acceptId, rejectId].includes(n.data.proposalId as string))).toEqual([]);
  });

  it('a contact whose account was disabled gets no notice, and the decision still stands', async () => {
    const gone = await contactOf(employerId);
    const id = await propose(gone, '质检员（停用）');
    await t.ds.query('UPDATE accounts SET is_disabled = true WHERE id = $1', [gone.id]);
    expect((await staff.call({ method: 'POST', url: `/api/v1/posting-proposals/${id}/reject`, payload: { reason: '联系人已停用' } })).statusCode).toBe(200);
    expect(await t.ds.query(`SELECT id FROM notifications WHERE dedupe_key = $1`, [`proposal:${id}`])).toEqual([]);
  });
});

describe('consent and candidates', () => {
  let contact: ChatPerson;
  let postingId: string;
  let group: string;
  let seq: number;
  let willing: Awaited<ReturnType<typeof boundWorker>>;
  let silent: Awaited<ReturnType<typeof boundWorker>>;
  let fromChat: Awaited<ReturnType<typeof boundWorker>>;
  const recommend = async (laborerId: string): Promise<string> => {
    const [row] = await t.ds.query(
      `INSERT INTO recommendations (laborer_id, posting_id, region_code, score, reasons, source, status) VALUES ($1, $2, $3, 80, '["测试"]', 'match', 'suggested') RETURNING id`,
      [laborerId, postingId, A.village],
    );
    return row.id;
  };
  const candidates = async () => {
    const res = await contact.call({ url: '/api/v1/me/candidates' });
    expect(res.statusCode).toBe(200);
    return res.json().items as Array<Record<string, unknown>>;
  };

  beforeAll(async () => {
    contact = await contactOf(employerId);
    const p = (await contact.call({ method: 'POST', url: '/api/v1/me/posting-proposals', payload: proposal({ title: '候选人测试岗' }) })).json();
    postingId = (await staff.call({ method: 'POST', url: `/api/v1/posting-proposals/${p.id}/accept` })).json().postingId;
    willing = await boundWorker('黎愿意', '13900001201');
    silent = await boundWorker('黎不说', '13900001202');
    fromChat = await boundWorker('黎群聊', '13900001203');
    const created = await grid.call({ method: 'POST', url: '/api/v1/chat/groups', payload: { name: '桐井村群', kind: 'community', regionCode: A.village } });
    group = created.json().id;
    expect((await grid.call({ method: 'POST', url: `/api/v1/chat/groups/${group}/members`, payload: { accountIds: [fromChat.id] } })).statusCode).toBe(200);
    const card = await grid.call({ method: 'POST', url: `/api/v1/chat/groups/${group}/messages`, payload: { clientId: clientId(), kind: 'job', postingId } });
    expect([card.statusCode, card.body]).toEqual([201, expect.anything()]);
    seq = card.json().event.seq;
  }, 60_000);

  it('a worker who says interested and agrees to share is a candidate: name and phone, nothing else; audited', async () => {
    const rec = await recommend(willing.laborerId);
    const silentRec = await recommend(silent.laborerId);
    expect(await candidates()).toEqual([]);
    const res = await willing.call({ method: 'POST', url: `/api/v1/me/recommendations/${rec}/feedback`, payload: { status: 'interested', shareContact: true } });
    expect([res.statusCode, res.json().shareContact]).toEqual([200, true]);
    // Interested without saying yes: not shared (the default is no).
    expect((await silent.call({ method: 'POST', url: `/api/v1/me/recommendations/${silentRec}/feedback`, payload: { status: 'interested' } })).json().shareContact).toBe(false);
    const items = await candidates();
    expect(items).toHaveLength(1);
    expect(Object.keys(items[0]).sort()).toEqual(['interestedAt', 'name', 'phone', 'postingId', 'postingTitle']);
    expect(items[0]).toMatchObject({ postingId, postingTitle: '候选人测试岗', name: '黎愿意', phone: '13900001201' });
    const [audit] = (await t.ds.query(`SELECT detail FROM audit_events WHERE action = 'employer_contact.read_candidates' AND actor_id = $1 ORDER BY at DESC LIMIT 1`, [contact.id])) as Array<{ detail: unknown }>;
    expect(audit.detail).toEqual({ people: 1 });
    expect(JSON.stringify(audit.detail)).not.toContain('1390000');
    // Consent is the worker's own: an officer recording interest for them cannot give it.
    const byOfficer = await officer.call({ method: 'POST', url: `/api/v1/recommendations/${await recommend((await boundWorker('黎代办', '13900001204')).laborerId)}/feedback`, payload: { status: 'interested', shareContact: true } });
    expect([byOfficer.statusCode, Object.keys(byOfficer.json().error.fields)]).toEqual([400, ['shareContact']]);
  });

  it('withdrawing consent, or interest, takes them off the list', async () => {
    const [{ id: rec }] = await t.ds.query('SELECT id FROM recommendations WHERE laborer_id = $1 AND posting_id = $2', [willing.laborerId, postingId]);
    const off = await willing.call({ method: 'PUT', url: `/api/v1/me/recommendations/${rec}/share-contact`, payload: { shareContact: false } });
    expect([off.statusCode, off.json().shareContact]).toEqual([200, false]);
    expect(await candidates()).toEqual([]);
    expect((await willing.call({ method: 'PUT', url: `/api/v1/me/recommendations/${rec}/share-contact`, payload: { shareContact: true } })).statusCode).toBe(200);
    expect((await candidates()).map((c) => c.name)).toEqual(['黎愿意']);
    expect((await audits('recommendation.share_contact', rec)).map((a) => a.detail)).toEqual([{ shareContact: true }, { shareContact: false }, { shareContact: true }]);
    const declined = await willing.call({ method: 'POST', url: `/api/v1/me/recommendations/${rec}/feedback`, payload: { status: 'declined', reason: 'too_far' } });
    expect(declined.statusCode).toBe(200);
    expect(await candidates()).toEqual([]);
    // Consent without interest is refused.
    const again = await willing.call({ method: 'PUT', url: `/api/v1/me/recommendations/${rec}/share-contact`, payload: { shareContact: true } });
    expect(again.statusCode).toBe(409);
  });

  it('interest on a job card in a chat is recorded as a recommendation (source chat, group and seq kept), idempotently', async () => {
    const body = { postingId, shareContact: true, groupId: group, seq };
    const res = await fromChat.call({ method: 'POST', url: '/api/v1/me/job-interest', payload: body });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ source: 'chat', status: 'interested', shareContact: true, posting: { id: postingId } });
    const again = await fromChat.call({ method: 'POST', url: '/api/v1/me/job-interest', payload: body });
    expect(again.json().id).toBe(res.json().id);
    const rows = await t.ds.query('SELECT id, via_chat_group_id, via_chat_seq, contacted_at FROM recommendations WHERE laborer_id = $1 AND posting_id = $2', [fromChat.laborerId, postingId]);
    expect(rows).toHaveLength(1);
    expect([rows[0].via_chat_group_id, Number(rows[0].via_chat_seq), rows[0].contacted_at]).toEqual([group, seq, null]);
    expect((await t.ds.query(`SELECT to_status FROM recommendation_events WHERE recommendation_id = $1`, [rows[0].id])).map((e: { to_status: string }) => e.to_status)).toEqual(['interested']);
    expect((await candidates()).map((c) => c.name)).toEqual(['黎群聊']);
    // Said again without consent: withdrawn.
    expect((await fromChat.call({ method: 'POST', url: '/api/v1/me/job-interest', payload: { ...body, shareContact: false } })).json().shareContact).toBe(false);
    expect(await candidates()).toEqual([]);
  });

  it('a job card of a group the worker is not in, or a seq that is not that card, is refused', async () => {
    const res = await silent.call({ method: 'POST', url: '/api/v1/me/job-interest', payload: { postingId, shareContact: true, groupId: group, seq } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('不是该群的成员');
    const wrongSeq = await fromChat.call({ method: 'POST', url: '/api/v1/me/job-interest', payload: { postingId, shareContact: true, groupId: group, seq: seq + 100 } });
    expect([wrongSeq.statusCode, Object.keys(wrongSeq.json().error.fields)]).toEqual([400, ['seq']]);
    const half = await fromChat.call({ method: 'POST', url: '/api/v1/me/job-interest', payload: { postingId, shareContact: true, groupId: group } });
    expect([half.statusCode, Object.keys(half.json().error.fields)]).toEqual([400, ['seq']]);
  });

  it('another employer\'s contact sees none of them', async () => {
    const other = await contactOf((await createEmployer(t.ds, staffAccountId, { regionCode: A.town, locationRegionCode: A.town })).id);
    await fromChat.call({ method: 'POST', url: '/api/v1/me/job-interest', payload: { postingId, shareContact: true } });
    expect((await candidates()).map((c) => c.name)).toEqual(['黎群聊']);
    expect((await other.call({ url: '/api/v1/me/candidates' })).json().items).toEqual([]);
  });
});

describe('crossing the lines, for every role', () => {
  it('only staff of the employer\'s area decide its proposals, only its contacts read its candidates; the rest are 404 or refused by the table, and nothing changes', async () => {
    const contact = await contactOf(employerId);
    const p = (await contact.call({ method: 'POST', url: '/api/v1/me/posting-proposals', payload: proposal({ title: '越界测试岗' }) })).json();
    const otherAdmin = await person(app, t.ds, 'admin', A.otherCounty);
    const worker = await boundWorker('黎越界', '13900001301');
    const otherContact = await contactOf((await createEmployer(t.ds, staffAccountId, { regionCode: A.town, locationRegionCode: A.town })).id);
    const decide = (who: ChatPerson) => [
      who.call({ method: 'POST', url: `/api/v1/posting-proposals/${p.id}/accept`, payload: {} }),
      who.call({ method: 'POST', url: `/api/v1/posting-proposals/${p.id}/reject`, payload: { reason: '越界' } }),
    ];
    // Area roles outside the employer's area: as if it did not exist.
    for (const who of [otherAdmin, otherCountyStaff, siblingStaff]) {
      for (const res of await Promise.all(decide(who))) expect(res.statusCode).toBe(404);
      expect((await who.call({ url: '/api/v1/posting-proposals?limit=200' })).json().items.map((x: { id: string }) => x.id)).not.toContain(p.id);
      expect((await who.call({ url: '/api/v1/me/candidates' })).statusCode).toBe(403);
    }
    // Roles the table leaves out.
    for (const who of [officer, grid, worker, contact, otherContact]) {
      for (const res of await Promise.all(decide(who))) expect(res.statusCode).toBe(403);
      expect((await who.call({ url: '/api/v1/posting-proposals' })).statusCode).toBe(403);
    }
    for (const who of [officer, grid, worker, staff]) {
      expect((await who.call({ url: '/api/v1/me/candidates' })).statusCode).toBe(403);
      expect((await who.call({ method: 'POST', url: '/api/v1/me/posting-proposals', payload: proposal() })).statusCode).toBe(403);
    }
    for (const who of [worker, contact, officer]) expect((await who.call({ method: 'POST', url: `/api/v1/employers/${employerId}/contact-invites`, payload: {} })).statusCode).toBe(403);
    expect((await otherAdmin.call({ method: 'POST', url: `/api/v1/employers/${employerId}/contact-invites`, payload: {} })).statusCode).toBe(404);
    // Another employer's contact: none of this employer's proposals or candidates.
    expect((await otherContact.call({ url: '/api/v1/me/posting-proposals' })).json().items).toEqual([]);
    expect((await otherContact.call({ url: '/api/v1/me/candidates' })).json().items).toEqual([]);
    const [row] = await t.ds.query('SELECT status, decided_at FROM posting_proposals WHERE id = $1', [p.id]);
    expect(row).toEqual({ status: 'pending', decided_at: null });
    expect(await audits('posting_proposal.accept', p.id)).toEqual([]);
    expect(await audits('posting_proposal.reject', p.id)).toEqual([]);
  });
});

describe('group chats', () => {
  it('an employer contact joins employer groups only; the grid leader\'s suggestions offer the county list\'s contacts', async () => {
    const contact = await contactOf(employerId, grid, '农厂长');
    const farAway = await contactOf((await createEmployer(t.ds, siblingStaff.id, { regionCode: A.siblingTown, locationRegionCode: A.siblingTown })).id, siblingStaff);
    const community = (await grid.call({ method: 'POST', url: '/api/v1/chat/groups', payload: { name: '群众群', kind: 'community', regionCode: A.village } })).json().id;
    const refused = await grid.call({ method: 'POST', url: `/api/v1/chat/groups/${community}/members`, payload: { accountIds: [contact.id] } });
    expect([refused.statusCode, refused.json().error.fields]).toEqual([400, { 'accountIds.0': '企业联系人只能加入企业群，不能加入群众群' }]);
    const communitySuggested = (await grid.call({ url: `/api/v1/chat/groups/${community}/suggested` })).json().items.map((x: { accountId: string }) => x.accountId);
    expect(communitySuggested).not.toContain(contact.id);

    const employerGroup = (await grid.call({ method: 'POST', url: '/api/v1/chat/groups', payload: { name: '企业群', kind: 'employer', regionCode: A.village } })).json().id;
    const suggested = (await grid.call({ url: `/api/v1/chat/groups/${employerGroup}/suggested` })).json().items as Array<{ accountId: string; accountRole: string; villageName: string }>;
    const mine = suggested.find((x) => x.accountId === contact.id);
    expect(mine).toMatchObject({ accountRole: 'employer_contact' });
    expect(suggested.map((x) => x.accountId)).not.toContain(farAway.id);
    expect((await grid.call({ method: 'POST', url: `/api/v1/chat/groups/${employerGroup}/members`, payload: { accountIds: [contact.id] } })).statusCode).toBe(200);
    const groups = (await contact.call({ url: '/api/v1/chat/groups' })).json().items.map((g: { id: string }) => g.id);
    expect(groups).toEqual([employerGroup]);
    // A contact who is not a member reaches nothing of the group.
    for (const path of ['', '/messages', '/members']) expect((await farAway.call({ url: `/api/v1/chat/groups/${employerGroup}${path}` })).statusCode).toBe(404);
    const said = await contact.call({ method: 'POST', url: `/api/v1/chat/groups/${employerGroup}/messages`, payload: { clientId: clientId(), kind: 'text', text: '我们厂招普工' } });
    expect(said.statusCode).toBe(201);
    // Not by invite code to a community group either.
    const code = (await grid.call({ method: 'POST', url: `/api/v1/chat/groups/${community}/invite-code` })).json().code;
    const join = await contact.call({ method: 'POST', url: '/api/v1/chat/join', payload: { code, displayName: '农厂长' } });
    expect(join.statusCode).toBe(403);
    expect(join.json().error.message).toContain('企业联系人只能加入企业群');
  });
});
