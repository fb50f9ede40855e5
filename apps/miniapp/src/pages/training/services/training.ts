import Taro from '@tarojs/taro';
import type { CertificateView, CourseView, EnrollmentView, MyTrainingView } from '@jobbridge/shared';
import { apiBase, request } from '../../../services/api';
import { ApiError } from '../../../services/errors';
import type { Outbox } from '../../../services/outbox';
import { taroStorage, type KeyValueStorage } from '../../../services/storage';

export const listCourses = () => request<{ items: CourseView[] }>({ path: '/training/courses' });
export const fetchRoster = (courseId: string) => request<{ items: EnrollmentView[] }>({ path: `/training/courses/${courseId}/enrollments` });
export const getCourse = (courseId: string) => request<CourseView>({ path: `/training/courses/${courseId}` });

/** The officer at the door: a seat when one is free (with the person's consent recorded, or proposed to them), else the waitlist. */
export const enrollAtDoor = (courseId: string, laborerId: string, consent: boolean) =>
  request<EnrollmentView>({ method: 'POST', path: `/training/courses/${courseId}/enrollments`, data: { laborerId, consent } });

export interface PersonHit {
  id: string;
  name: string;
  idNumberMasked: string;
  age: number;
  villageName: string | null;
  trainingWanted: string[];
}

/** People of the officer's area by name (the lists' search: masked, audited). */
export const searchPeople = (q: string) => request<{ items: PersonHit[] }>({ path: '/lists/all', query: { q, limit: 20 } });

/** Whether a failed request never reached the server. */
export const isOffline = (err: unknown) => err instanceof ApiError && err.code === 'NETWORK_ERROR';

// ---- the officer's phone: a course's roster kept for attendance with no network ----

export interface KeptRoster {
  course: CourseView;
  enrollments: EnrollmentView[];
  downloadedAt: string;
}

const keyOf = (accountId: string, courseId: string) => `jb.${accountId}.training.${courseId}`;

/** Enrollments that hold a seat: attendance is taken for them only. */
export const holdsSeat = (e: Pick<EnrollmentView, 'status'>) => e.status === 'enrolled' || e.status === 'proposed';

/**
 * A course's roster on the officer's phone, and attendance against it with no network: each mark is one
 * `attendance.record` op in the survey's outbox (sent whenever the phone is online; the server keeps one
 * row per person and session, so a resent op changes nothing). What is shown is the server's attendance
 * with the marks still on the phone on top.
 */
export class RosterBook {
  private kept: KeptRoster | null;

  constructor(
    private readonly accountId: string,
    readonly courseId: string,
    private readonly storage: KeyValueStorage = taroStorage,
  ) {
    const raw = storage.get(keyOf(accountId, courseId));
    this.kept = raw && typeof raw === 'object' ? (raw as KeptRoster) : null;
  }

  get roster(): KeptRoster | null {
    return this.kept;
  }

  keep(course: CourseView, enrollments: EnrollmentView[], now = new Date()): void {
    this.kept = { course, enrollments, downloadedAt: now.toISOString() };
    this.storage.set(keyOf(this.accountId, this.courseId), this.kept);
  }

  /** Present at `sessionNo`: the mark on this phone if there is one, else what the server had. */
  present(e: EnrollmentView, sessionNo: number, outbox: Outbox): { present: boolean; pending: boolean } {
    const mine = outbox.pendingAttendance()[e.id]?.[sessionNo];
    if (mine !== undefined) return { present: mine, pending: true };
    return { present: e.presentSessions.includes(sessionNo), pending: false };
  }

  /** Sessions attended, counting the marks on this phone. */
  attended(e: EnrollmentView, outbox: Outbox): number {
    const sessions = new Set(e.presentSessions);
    for (const [n, present] of Object.entries(outbox.pendingAttendance()[e.id] ?? {})) {
      if (present) sessions.add(Number(n));
      else sessions.delete(Number(n));
    }
    return sessions.size;
  }

  /** Marks (or unmarks) one person at one session; kept on the phone until the outbox sends it. */
  mark(e: EnrollmentView, sessionNo: number, present: boolean, outbox: Outbox): void {
    outbox.recordAttendance(e.id, sessionNo, present);
  }

  /** The first session not everyone seated has been marked present at (where the officer most likely is). */
  currentSession(outbox: Outbox): number {
    const k = this.kept;
    if (!k) return 1;
    const seated = k.enrollments.filter(holdsSeat);
    for (let n = 1; n <= k.course.sessions; n++) {
      if (seated.some((e) => !this.present(e, n, outbox).present)) return n;
    }
    return k.course.sessions;
  }
}

// ---- the worker ----

export const getMyTraining = () => request<MyTrainingView>({ path: '/me/training' });
export const acceptOffer = (enrollmentId: string) => request<MyTrainingView>({ method: 'POST', path: `/me/training/enrollments/${enrollmentId}/accept` });
export const declineOffer = (enrollmentId: string) => request<MyTrainingView>({ method: 'POST', path: `/me/training/enrollments/${enrollmentId}/decline` });

/** The public verification page of a certificate (the link its QR code holds): on the API's own host. */
export function verifyUrl(c: Pick<CertificateView, 'verifyPath'>): string {
  if (process.env.TARO_ENV === 'h5') return `${window.location.origin}${c.verifyPath}`;
  return `${apiBase().replace(/\/api\/v1$/, '')}${c.verifyPath}`;
}

/** The check code printed under the QR code (the `c` of the verification link). */
export function checkCodeOf(c: Pick<CertificateView, 'verifyPath'>): string {
  return /[?&]c=([0-9A-Za-z]+)/.exec(c.verifyPath)?.[1] ?? '';
}

/** Copies the verification link (the mini-program can't open an outside page; the worker pastes it in a browser or sends it). */
export async function copyVerifyLink(c: Pick<CertificateView, 'verifyPath'>): Promise<void> {
  await Taro.setClipboardData({ data: verifyUrl(c) });
}
