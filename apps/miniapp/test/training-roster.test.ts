import type { CourseView, EnrollmentView } from '@jobbridge/shared';
import type { SyncOp, SyncResult } from '../src/services/outbox';
import { checkCodeOf, RosterBook } from '../src/pages/training/services/training';
import { offlineOutbox } from './offline-outbox';

/** The officer's offline attendance (pages/training): the kept roster, the marks on top of it, the ops it queues. */

const COURSE = '99999999-9999-4999-8999-999999999999';
const E1 = '11111111-1111-4111-8111-111111111111';
const E2 = '22222222-2222-4222-8222-222222222222';
const E3 = '33333333-3333-4333-8333-333333333333';

const course = { id: COURSE, title: '低压电工', kind: 'electrician', sessions: 4, minAttendance: 1, assessmentRequired: true, passMark: 60 } as CourseView;
const person = (id: string, name: string, status: EnrollmentView['status'], presentSessions: number[]) => ({ id, courseId: COURSE, name, status, presentSessions, attended: presentSessions.length }) as EnrollmentView;
const roster = () => [person(E1, '黄志强', 'enrolled', [1, 2, 3]), person(E2, '农丽芳', 'proposed', [1, 2]), person(E3, '马文杰', 'waitlisted', [])];

function setup(answer: (op: SyncOp) => SyncResult) {
  const phone = offlineOutbox('officer1', answer);
  const book = new RosterBook('officer1', COURSE, phone.storage);
  book.keep(course, roster(), new Date('2031-01-01T00:00:00.000Z'));
  return { ...phone, book };
}

describe('training attendance offline', () => {
  it('marks a session on the phone: one attendance.record op each, shown over the server\'s attendance', () => {
    const { outbox, book } = setup(() => {
      throw new Error('not sent');
    });
    const [e1, e2] = book.roster!.enrollments;
    // Everyone seated was at sessions 1-2; session 3 is where the officer is now.
    expect(book.currentSession(outbox)).toBe(3);
    book.mark(e2, 3, true, outbox);
    expect(book.present(e2, 3, outbox)).toEqual({ present: true, pending: true });
    expect(book.attended(e2, outbox)).toBe(3);
    expect(book.currentSession(outbox)).toBe(4);
    // A mistaken mark taken back: the later op wins, on the phone and on the server (one row per person and session).
    book.mark(e1, 2, false, outbox);
    expect(book.present(e1, 2, outbox)).toEqual({ present: false, pending: true });
    expect(book.attended(e1, outbox)).toBe(2);
    expect(book.present(e1, 1, outbox)).toEqual({ present: true, pending: false });
    expect(outbox.pendingOps.map((o) => [o.type, o.data.enrollmentId, o.data.sessionNo, o.data.present])).toEqual([
      ['attendance.record', E2, 3, true],
      ['attendance.record', E1, 2, false],
    ]);
  });

  it('keeps the roster on the phone: reopened with no network, the page has it', () => {
    const { storage, book } = setup(() => {
      throw new Error('not sent');
    });
    const again = new RosterBook('officer1', COURSE, storage);
    expect(again.roster).toEqual(book.roster);
    expect(again.roster!.downloadedAt).toBe('2031-01-01T00:00:00.000Z');
    expect(new RosterBook('officer2', COURSE, storage).roster).toBeNull();
  });

  it('sends the marks once online and then shows the server\'s attendance', async () => {
    const { outbox, book, sent, online } = setup((op) => ({ opId: op.opId, status: 'applied', entityId: op.entityId, version: 1 }));
    const [e1] = book.roster!.enrollments;
    book.mark(e1, 4, true, outbox);
    expect((await outbox.flush()).error).toEqual(expect.any(String));
    expect(outbox.pendingOps).toHaveLength(1);
    online();
    expect((await outbox.flush({ force: true })).done).toBe(1);
    expect(sent.flat().map((o) => o.data)).toEqual([{ enrollmentId: E1, sessionNo: 4, present: true, recordedAt: expect.any(String) }]);
    // Nothing pending: what shows is the roster as downloaded again (the server's).
    expect(book.present(e1, 4, outbox)).toEqual({ present: false, pending: false });
    book.keep(course, [person(E1, '黄志强', 'enrolled', [1, 2, 3, 4])]);
    expect(book.present(book.roster!.enrollments[0], 4, outbox)).toEqual({ present: true, pending: false });
  });

  it('reads the check code out of a certificate\'s verification link', () => {
    expect(checkCodeOf({ verifyPath: '/verify/certificates/451425-2026-000001?c=AB12CD34EF' })).toBe('AB12CD34EF');
  });
});
