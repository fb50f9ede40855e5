import { Outbox, type SyncOp, type SyncResult, type Transport } from '../src/services/outbox';
import type { KeyValueStorage } from '../src/services/storage';
import type { RightsCaseView } from '@jobbridge/shared';
import { attentionOf, EMPTY_HELP, helpErrors, queueEdit, withPending, yuanToFen } from '../src/pages/rights/services/rights';
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
    expect(helpErrors({ kind: 'wage_arrears', employerName: '某厂', place: '南宁', amountYuan: 'x', description: '拖欠工资' })).toEqual({ amountClaimed: '请填写金额（元），如 15600' });
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
