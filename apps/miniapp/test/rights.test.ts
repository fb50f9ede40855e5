import { Outbox, type SyncOp, type SyncResult, type Transport } from '../src/services/outbox';
import type { KeyValueStorage } from '../src/services/storage';
import type { RightsCaseView } from '@jobbridge/shared';
import { areaEmployers, attentionOf, EMPTY_HELP, helpErrors, myEmployers, queuedOpens, queueEdit, queueOpen, withPending, yuanToFen } from '../src/pages/rights/services/rights';
import { saveSession } from '../src/services/session';
import { FakeApi } from './fake-api';
import { platform } from './stubs/taro';
import { opFieldLabel, opFieldValue } from '../src/services/op-fields';

/** The rights pages' logic: the help form's checks and amounts, and a case's offline edits through the real outbox. */

function memory(): KeyValueStorage {
  const m = new Map<string, unknown>();
  return { get: (k) => m.get(k), set: (k, v) => void m.set(k, JSON.parse(JSON.stringify(v))), remove: (k) => void m.delete(k) };
}

const CASE = { id: '11111111-1111-4111-8111-111111111111', employerName: '东莞电子厂', place: '东莞市', amountClaimed: 1_560_000, description: '三个月工资未发', version: 3 } as RightsCaseView;

describe('the help form', () => {
  it('takes yuan as typed and sends fen; names what is missing', () => {
    expect([yuanToFen(''), yuanToFen('15600'), yuanToFen('86.5'), yuanToFen('0.01')]).toEqual([null, 1_560_000, 8650, 1]);
    expect(Number.isNaN(yuanToFen('一万'))).toBe(true);
    expect(Number.isNaN(yuanToFen('1.234'))).toBe(true);
    expect(Object.keys(helpErrors(EMPTY_HELP)).sort()).toEqual(['description', 'employerName', 'kind', 'place']);
    expect(helpErrors({ kind: 'wage_arrears', employerId: null, employerName: '某厂', place: '南宁', amountYuan: 'x', description: '拖欠工资' })).toEqual({ amountClaimed: '请填写金额（元），如 15600' });
  });
});

describe("a case's offline edits", () => {
  it('queue on the kept version, show on the phone, and a same-field clash comes back to decide, never overwritten', async () => {
    const sent: SyncOp[][] = [];
    let answer: (op: SyncOp) => SyncResult = (op) => ({ opId: op.opId, status: 'applied', entityId: op.entityId, version: 4 });
    const transport: Transport = {
      sync: async (_device, ops) => (sent.push(ops), ops.map((op) => answer(op))),
      changes: async () => ({ items: [], cursor: '0', hasMore: false }),
    };
    const outbox = new Outbox({ storage: memory(), transport, namespace: 'officer-a' });
    queueEdit(outbox, CASE, { place: '东莞市长安镇' });
    expect(withPending(outbox, CASE)).toMatchObject({ place: '东莞市长安镇', isPending: true, employerName: '东莞电子厂' });
    expect(outbox.pendingOps[0]).toMatchObject({ type: 'rightsCase.update', entityId: CASE.id, baseVersion: 3, data: { place: '东莞市长安镇' } });

    answer = (op) => ({ opId: op.opId, status: 'conflict', entityId: op.entityId, version: 5, conflicts: { place: { server: '东莞市虎门镇', serverVersion: 5 } } });
    await outbox.flush();
    expect(sent[0].map((o) => o.type)).toEqual(['rightsCase.update']);
    expect(withPending(outbox, CASE).isPending).toBe(false);
    const [clash] = attentionOf(outbox, CASE.id);
    expect(clash).toMatchObject({ kind: 'conflict', conflicts: { place: { server: '东莞市虎门镇' } } });
    // The server's value kept: nothing is sent again.
    expect(outbox.resolveConflict(clash.op.opId, { place: 'server' })).toBeNull();
    expect(attentionOf(outbox, CASE.id)).toEqual([]);
    expect(outbox.pendingCount).toBe(0);
  });
});

describe("a clash's fields as people read them (the sync center and the case page)", () => {
  it("names a rights case's fields by the shared rights labels and shows amounts in yuan; the survey's ops keep their labels", () => {
    expect(['employerName', 'place', 'amountClaimed', 'description'].map((f) => opFieldLabel('rightsCase.update', f))).toEqual(['用工单位名称', '务工地点', '主张金额', '情况说明']);
    expect(opFieldValue('rightsCase.update', 'amountClaimed', 1_560_000)).toBe('15,600.00 元');
    expect(opFieldValue('rightsCase.update', 'amountClaimed', null)).toBe('—');
    expect(opFieldValue('rightsCase.update', 'employerId', '11111111-1111-4111-8111-111111111111')).not.toMatch(/1111/);
    expect(opFieldLabel('laborer.update', 'employmentStatus')).toBe('就业状态');
    expect(opFieldValue('laborer.update', 'employmentStatus', 'unemployed')).not.toBe('unemployed');
  });
});

const EMPLOYER = { id: '22222222-2222-4222-8222-222222222222', name: '江门市某电子有限公司' };
const LABORER = '33333333-3333-4333-8333-333333333333';

describe('a case the officer opens', () => {
  it('is queued in the outbox with the employer picked from the list, kept when the phone restarts offline, and sent as rightsCase.open', async () => {
    const storage = memory();
    const sent: SyncOp[][] = [];
    let isOnline = false;
    const transport: Transport = {
      sync: async (_device, ops) => {
        if (!isOnline) throw new Error('request:fail');
        sent.push(ops);
        return ops.map((op) => ({ opId: op.opId, status: 'applied', entityId: op.entityId, version: 1 }));
      },
      changes: async () => ({ items: [], cursor: '0', hasMore: false }),
    };
    const outbox = new Outbox({ storage, transport, namespace: 'officer-a' });
    const form = { ...EMPTY_HELP, kind: 'wage_arrears' as const, employerId: EMPLOYER.id, employerName: EMPLOYER.name, place: '江门', amountYuan: '3200', description: '两个月工资' };
    const op = queueOpen(outbox, LABORER, 'visit', form, new Date('2026-03-02T01:00:00Z'));
    expect((await outbox.flush()).error).toBeTruthy();
    // The phone restarts with no signal: the case is still there, its employer with it.
    const again = new Outbox({ storage, transport, namespace: 'officer-a' });
    expect(queuedOpens(again)).toEqual([{ op: expect.objectContaining({ opId: op.opId }), message: null }]);
    expect(again.pendingOps[0]).toMatchObject({
      type: 'rightsCase.open',
      entityId: op.entityId,
      data: { kind: 'wage_arrears', employerId: EMPLOYER.id, employerName: EMPLOYER.name, laborerId: LABORER, source: 'visit', amountClaimed: 320_000, openedOn: '2026-03-02' },
    });
    isOnline = true;
    await again.flush();
    expect(sent[0].map((o) => [o.type, o.data.employerId])).toEqual([['rightsCase.open', EMPLOYER.id]]);
    expect(queuedOpens(again)).toEqual([]);
    // Typed in, not picked: no employerId goes with it.
    expect(queueOpen(again, LABORER, 'survey', { ...form, employerId: null, employerName: '包工头张某' }).data).not.toHaveProperty('employerId');
  });
});

describe('the employers to pick', () => {
  beforeEach(() => {
    platform.reset();
    process.env.TARO_ENV = 'h5';
    const api = new FakeApi();
    saveSession({ ...api.issue(), user: api.user as never });
  });

  it("the officer's: the area's list as they type, and with no network the ones the phone was shown", async () => {
    const storage = memory();
    platform.respond = (req) => ({ statusCode: 200, data: { items: [{ ...EMPLOYER, regionCode: '451425' }], nextCursor: null, req } });
    const choices = areaEmployers('officer-a', storage);
    expect(await choices('电子')).toEqual({ items: [EMPLOYER] });
    expect(platform.requests[0].url).toMatch(/\/employers\?.*q=%E7%94%B5%E5%AD%90/);
    platform.respond = () => {
      throw { errMsg: 'request:fail' };
    };
    expect(await choices('江门')).toEqual({ items: [EMPLOYER], note: '没有联网：以下是本机存过的单位' });
    expect(await choices('东莞')).toEqual({ items: [], note: '没有联网，查不到用工单位名单：请直接填写单位名称' });
    // Refused by the server (not the signal): said as it is.
    platform.respond = () => ({ statusCode: 403, data: { error: { code: 'FORBIDDEN', message: '无权访问' } } });
    expect(await choices('江门')).toMatchObject({ items: [], note: expect.stringMatching(/权/) });
  });

  it("the worker's: the employers of their own recommendations, the one they were hired by first, each once", async () => {
    const rec = (employerId: string, employerName: string, status: string) => ({ status, posting: { employerId, employerName } });
    const choices = myEmployers(async () => ({ items: [rec('e1', '南宁某工地', 'suggested'), rec('e2', '江门某厂', 'hired'), rec('e1', '南宁某工地', 'applied')] as never }));
    expect((await choices('')).items).toEqual([{ id: 'e2', name: '江门某厂' }, { id: 'e1', name: '南宁某工地' }]);
    expect((await choices('江门')).items).toEqual([{ id: 'e2', name: '江门某厂' }]);
    const failing = myEmployers(async () => Promise.reject(new Error('403')));
    expect(await failing('')).toEqual({ items: [] });
  });
});
