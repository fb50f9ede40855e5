import { defineCodeList } from './codes';

/**
 * Training (技能培训, issue 13): courses by order (订单式), enrollment with a seat counter the database
 * holds, attendance per session (offline through the sync outbox), a certificate issued exactly once
 * when the completion rule is met, and the outcome (上岗率) after 30/90/180 days.
 *
 * An enrollment's status: `proposed` (a seat held, offered by staff or an officer, waiting for the
 * worker's yes in the mini-program), `enrolled` (a seat held, consent given: by the worker, or recorded
 * by the officer at the door), `waitlisted` (no seat free; promoted in order when one frees), `declined`
 * (the worker said no) and `withdrawn` (taken off by staff). Only `proposed` and `enrolled` hold a seat.
 */
export const ENROLLMENT_STATUSES = [
  { code: 'proposed', label: '已推荐，待本人确认' },
  { code: 'enrolled', label: '已报名' },
  { code: 'waitlisted', label: '候补' },
  { code: 'declined', label: '本人不参加' },
  { code: 'withdrawn', label: '已取消' },
] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number]['code'];
export const { labels: ENROLLMENT_STATUS_LABELS, is: isEnrollmentStatus } = defineCodeList(ENROLLMENT_STATUSES);

/** Statuses that hold one of the course's seats (the `seats_taken` counter counts exactly these). */
export const SEAT_HOLDING_STATUSES: readonly EnrollmentStatus[] = ['proposed', 'enrolled'];

/** How an enrollment came about. */
export type EnrollmentVia = 'needs_list' | 'officer' | 'staff';

/** Days after completion at which the outcome (上岗率) is counted. */
export const TRAINING_OUTCOME_DAYS = [30, 90, 180] as const;

export const TRAINING_LIMITS = { capacityMax: 10_000, sessionsMax: 200, teachersMax: 20 } as const;

export interface CourseView {
  id: string;
  regionCode: string;
  kind: string;
  title: string;
  provider: string;
  /** 订单式培训: the employer that will hire those who finish. */
  employerId: string | null;
  employerName: string | null;
  place: string;
  startsOn: string;
  endsOn: string;
  sessions: number;
  capacity: number;
  seatsTaken: number;
  waitlisted: number;
  teachers: string[];
  /** Share of sessions to attend (0-1]. */
  minAttendance: number;
  assessmentRequired: boolean;
  passMark: number | null;
  /** What the certificate says the holder can do; it is added to the laborer's certificates held. */
  certificateName: string;
  createdAt: string;
}

export interface EnrollmentView {
  id: string;
  courseId: string;
  laborerId: string;
  regionCode: string;
  name: string;
  /** Masked like the lists: first 6 digits. */
  idNumberMasked: string;
  phone: string | null;
  status: EnrollmentStatus;
  /** Place on the waitlist (1 = next), null when not waitlisted. */
  waitlistPosition: number | null;
  consented: boolean;
  via: EnrollmentVia;
  attended: number;
  /** Sessions recorded present, by number. */
  presentSessions: number[];
  assessmentScore: number | null;
  completedAt: string | null;
  certificateSerial: string | null;
}

export interface CertificateView {
  id: string;
  enrollmentId: string;
  serial: string;
  holderName: string;
  idNumberMasked: string;
  courseTitle: string;
  kind: string;
  provider: string;
  startsOn: string;
  endsOn: string;
  issuedOn: string;
  certificateName: string;
  revoked: boolean;
  revokedAt: string | null;
  revokeReason: string | null;
  /** The public verification link printed as the QR code (path and check code; the origin is the server's). */
  verifyPath: string;
}

/** What the public verification page shows: every printed field, and whether it was revoked. */
export type CertificateVerification = Omit<CertificateView, 'id' | 'enrollmentId' | 'verifyPath'>;

export interface CourseOutcome {
  courseId: string;
  completed: number;
  /** For each of 30/90/180 days: completers that far past completion, and of them those employed then. */
  after: Array<{ days: number; due: number; employed: number; rate: number | null }>;
}

/**
 * An area's 上岗率 (the dashboard's card, `GET /training/outcome`): of its people who completed a course between
 * `from` and `to` (China dates: the year up to `days` ago), how many were employed `days` after completing.
 */
export interface AreaTrainingOutcome {
  regionCode: string | null;
  days: number;
  from: string;
  to: string;
  due: number;
  employed: number;
  rate: number | null;
}

/** The worker's side: their offers and courses, with their certificates. */
export interface MyTrainingView {
  enrollments: Array<{
    id: string;
    status: EnrollmentStatus;
    consented: boolean;
    waitlistPosition: number | null;
    attended: number;
    course: Pick<CourseView, 'id' | 'kind' | 'title' | 'provider' | 'employerName' | 'place' | 'startsOn' | 'endsOn' | 'sessions' | 'certificateName'>;
  }>;
  certificates: CertificateView[];
}
