import type { SyncOp, SyncResult } from '../src/services/outbox';
import { BoardingBook, type Manifest, parseBoardingCode } from '../src/pages/transport/services/transport';
import { offlineOutbox } from './offline-outbox';

/** The escort's offline boarding (pages/transport): the kept manifest, local checks, the ops it queues. */

const P1 = '11111111-1111-4111-8111-111111111111';
const P2 = '22222222-2222-4222-8222-222222222222';
const P3 = '33333333-3333-4333-8333-333333333333';
const TRIP = '99999999-9999-4999-8999-999999999999';

const manifest = (): Manifest => ({
  trip: { id: TRIP, title: '天等—江门', direction: 'outbound', departureAt: '2031-01-01T00:00:00.000Z', vehicle: '桂F', seats: 45, status: 'open', pickupPoints: [], employers: [], destination: null, counts: { booked: 3, boarded: 1, povertyBoarded: 0, noShows: 0, handedOver: 0 }, mine: { manages: false, escorts: true } },
  downloadedAt: '2030-12-31T00:00:00.000Z',
  passengers: [
    { id: P1, name: '黄志强', seatNo: 1, pickupPoint: 'p1', villageName: '那隆村', employerName: null, checkCode: 'ABCDEFGH23', boardedAt: null, boardedByName: null },
    { id: P2, name: '农丽芳', seatNo: 2, pickupPoint: 'p1', villageName: '那隆村', employerName: null, checkCode: 'HJKMNPQR45', boardedAt: null, boardedByName: null },
    { id: P3, name: '马文杰', seatNo: 3, pickupPoint: 'p2', villageName: '那隆村', employerName: null, checkCode: 'STUVWXYZ67', boardedAt: '2030-12-31T23:05:00.000Z', boardedByName: '护送员乙' },
  ],
});

function setup(answer: (op: SyncOp) => SyncResult) {
  const phone = offlineOutbox('escort1', answer);
  const book = new BoardingBook('escort1', '护送员甲', TRIP, phone.storage);
  book.keep(manifest());
  return { ...phone, book };
}

describe('boarding offline', () => {
  it('reads the worker\'s QR code and a typed check code, and nothing else', () => {
    expect(parseBoardingCode(`JBT1.${P1}.ABCDEFGH23`)).toEqual({ passengerId: P1, checkCode: 'ABCDEFGH23' });
    expect(parseBoardingCode(' abcdefgh23 ')).toEqual({ passengerId: null, checkCode: 'ABCDEFGH23' });
    for (const bad of ['', 'JBT1.x.ABCDEFGH23', 'ABC', 'https://example.cn']) expect(parseBoardingCode(bad)).toBeNull();
  });

  it('checks the coach in against the kept manifest with no network: one op each, a second scan says who and when', async () => {
    const { outbox, book } = setup(() => {
      throw new Error('not sent');
    });
    const first = book.checkCode(`JBT1.${P1}.ABCDEFGH23`, outbox, new Date('2031-01-01T00:01:00.000Z'));
    expect(first).toMatchObject({ kind: 'boarded', passenger: { id: P1 } });
    expect(book.checkCode('ABCDEFGH23', outbox)).toEqual({ kind: 'already', passenger: expect.objectContaining({ id: P1 }), by: '护送员甲', at: '2031-01-01T00:01:00.000Z' });
    // Checked in by the other escort before the manifest was downloaded.
    expect(book.checkCode(`JBT1.${P3}.STUVWXYZ67`, outbox)).toMatchObject({ kind: 'already', by: '护送员乙' });
    // A code of another trip, or one passenger's code with another's id, is nobody here.
    expect(book.checkCode(`JBT1.${P2}.ABCDEFGH23`, outbox)).toEqual({ kind: 'unknown' });
    expect(book.search('丽芳').map((p) => p.id)).toEqual([P2]);
    expect(book.checkName(P2, outbox)).toMatchObject({ kind: 'boarded' });
    expect(book.boardedCount).toBe(3);
    expect(outbox.pendingOps.map((o) => [o.type, o.entityId, o.data])).toEqual([
      ['boarding.checkin', P1, { tripId: TRIP, at: '2031-01-01T00:01:00.000Z', method: 'scan', checkCode: 'ABCDEFGH23' }],
      ['boarding.checkin', P2, { tripId: TRIP, at: expect.any(String), method: 'name' }],
    ]);
  });

  it('keeps the check-ins on the phone: reopened, the page knows them; a fresh manifest keeps the ones not yet synced', () => {
    const { outbox, book, storage } = setup(() => {
      throw new Error('not sent');
    });
    book.checkCode('ABCDEFGH23', outbox);
    const again = new BoardingBook('escort1', '护送员甲', TRIP, storage);
    expect(again.checkInOf(P1)).toMatchObject({ by: '护送员甲' });
    again.keep(manifest());
    expect(again.checkInOf(P1)).toMatchObject({ by: '护送员甲' });
    expect(again.checkCode('ABCDEFGH23', outbox)).toMatchObject({ kind: 'already' });
    expect(outbox.pendingOps).toHaveLength(1);
  });

  it('sends the check-ins once online; the server\'s "already boarded by someone else" stays on the page with who and when', async () => {
    const { outbox, book, sent, online } = setup((op) =>
      op.entityId === P2
        ? { opId: op.opId, status: 'rejected', entityId: op.entityId, code: 'ALREADY_EXISTS', message: '此人已由护送员乙于01/01 08:02核验登车', retryable: false, fields: { boardedBy: '护送员乙' } }
        : { opId: op.opId, status: 'applied', entityId: op.entityId, version: 1 },
    );
    book.checkCode('ABCDEFGH23', outbox);
    book.checkCode('HJKMNPQR45', outbox);
    expect((await outbox.flush()).error).toEqual(expect.any(String));
    expect(outbox.pendingOps).toHaveLength(2);
    online();
    const report = await outbox.flush({ force: true });
    expect([report.done, report.attention, sent.length]).toEqual([1, 1, 1]);
    expect(outbox.pendingOps).toHaveLength(0);
    expect(outbox.attention.map((a) => a.message)).toEqual(['此人已由护送员乙于01/01 08:02核验登车']);
  });
});
