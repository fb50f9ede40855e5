import crypto from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  EMPLOYED_STATUSES,
  TRAINING_OUTCOME_DAYS,
  TRAINING_TYPE_LABELS,
  chinaDate,
  isTrainingTypeCode,
  maskIdNumber,
  maskPhone,
  regionAncestry,
  type AreaTrainingOutcome,
  type CertificateVerification,
  type CertificateView,
  type CourseOutcome,
  type CourseView,
  type EnrollmentStatus,
  type EnrollmentView,
  type MyTrainingView,
} from '@jobbridge/shared';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import type { PiiCipher } from '../../crypto/pii';
import { AppError, fieldError, notFound } from '../../errors';
import { recordAudit } from '../audit/audit.service';
import type { AuditDetail } from '../audit/audit.schemas';
import type { ListDefinition } from '../lists/list-definitions';
import type { ListFilters, ListsService } from '../lists/lists.service';
import type { RecommendationTriggers } from '../recommendations/triggers';
import { Laborer } from '../survey/laborer.entity';
import { ID_NUMBER_PURPOSE } from '../survey/survey.views';
import { recordChange, recordFeed } from '../sync/sync-feed';
import { invalid, metaFor, reject } from '../sync/sync-results';
import type { SyncOpInput, SyncOpResult } from '../sync/sync.types';
import { Course } from './course.entity';
import { Enrollment } from './enrollment.entity';

/** Days after completion the dashboard's 上岗率 is counted at. */
const AREA_OUTCOME_DAYS = 90;

export interface CourseInput {
  regionCode: string;
  kind: string;
  title: string;
  provider: string;
  employerId?: string | null;
  place: string;
  startsOn: string;
  endsOn: string;
  sessions: number;
  capacity: number;
  teachers?: string[];
  minAttendance: number;
  assessmentRequired: boolean;
  passMark?: number | null;
  certificateName: string;
}

/** The needs list's filters: the six lists' filters plus the kind of training wanted. */
export interface NeedsFilters extends ListFilters {
  kind?: string;
}

/** The training-needs list (培训需求清单): people whose survey says they want training (of `kind`, when given). */
export function needsListDefinition(kind?: string): ListDefinition {
  if (kind) {
    return {
      key: 'training-needs',
      title: `培训需求清单（${TRAINING_TYPE_LABELS[kind as keyof typeof TRAINING_TYPE_LABELS] ?? kind}）`,
      condition: 'l.training_wanted @> jsonb_build_array(CAST(:tn_kind AS text))',
      params: { tn_kind: kind },
    };
  }
  return { key: 'training-needs', title: '培训需求清单', condition: 'jsonb_array_length(l.training_wanted) > 0' };
}

type Row = Record<string, any>;
const iso = (d: Date | string | null) => (d === null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString());
const day = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 10) : chinaDate(d));

/** 10 characters of Crockford base32 (50 bits): guessing one for a known serial takes about 10^15 tries. */
function checkCode(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = crypto.randomBytes(10);
  return Array.from(bytes, (b) => alphabet[b & 31]).join('');
}

function sameCode(a: string, b: string): boolean {
  const x = Buffer.from(a.toUpperCase());
  const y = Buffer.from(b.toUpperCase());
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function verifyPath(serial: string, code: string): string {
  return `/verify/certificates/${encodeURIComponent(serial)}?c=${code}`;
}

function courseView(r: Row): CourseView {
  return {
    id: r.id,
    regionCode: r.region_code,
    kind: r.kind,
    title: r.title,
    provider: r.provider,
    employerId: r.employer_id ?? null,
    employerName: r.employer_name ?? null,
    place: r.place,
    startsOn: day(r.starts_on),
    endsOn: day(r.ends_on),
    sessions: Number(r.sessions),
    capacity: Number(r.capacity),
    seatsTaken: Number(r.seats_taken),
    waitlisted: Number(r.waitlisted ?? 0),
    teachers: r.teachers ?? [],
    minAttendance: Number(r.min_attendance),
    assessmentRequired: r.assessment_required,
    passMark: r.pass_mark === null ? null : Number(r.pass_mark),
    certificateName: r.certificate_name,
    createdAt: iso(r.created_at)!,
  };
}

function certificateView(r: Row): CertificateView {
  return {
    id: r.id,
    enrollmentId: r.enrollment_id,
    serial: r.serial,
    holderName: r.holder_name,
    idNumberMasked: r.id_number_masked,
    courseTitle: r.course_title,
    kind: r.kind,
    provider: r.provider,
    startsOn: day(r.starts_on),
    endsOn: day(r.ends_on),
    issuedOn: day(r.issued_on),
    certificateName: r.certificate_name,
    revoked: r.revoked_at !== null,
    revokedAt: iso(r.revoked_at),
    revokeReason: r.revoke_reason ?? null,
    verifyPath: verifyPath(r.serial, r.check_code),
  };
}

/**
 * Training (issue 13). Courses are shared rows of a region (like postings: seen by the region, below and
 * above it; changed only by staff whose area covers the course's region). Enrollments, attendance and
 * certificates are personal (the laborer's village): every read and write goes through `PersonalData`.
 *
 * Seats: every enrollment write locks its course row first (`lockCourse`), decides seat or waitlist from
 * the counter, and the database moves the counter itself (trigger) and refuses overbooking (CHECK), so
 * concurrent enrollments never exceed the capacity. A freed seat goes to the waitlist's first in the same
 * transaction (`promote`).
 *
 * Certificates: `completeIfDue` locks the enrollment row, so concurrent completions of one enrollment run
 * one after the other and the later ones find the certificate; the unique key on the enrollment is the
 * backstop.
 */
export class TrainingService {
  constructor(
    private readonly ds: DataSource,
    private readonly cipher: PiiCipher,
    private readonly lists: ListsService,
    private readonly triggers: RecommendationTriggers,
  ) {}

  // Courses

  async createCourse(ctx: RequestContext, input: CourseInput): Promise<CourseView> {
    ctx.scope.requireCovers(input.regionCode, 'regionCode');
    this.checkCourse(input);
    return this.ds.transaction(async (m) => {
      await this.checkEmployer(m, ctx, input.employerId ?? null);
      const [row] = await m.query(
        `INSERT INTO courses (region_code, kind, title, provider, employer_id, place, starts_on, ends_on, sessions, capacity, teachers, min_attendance, assessment_required, pass_mark, certificate_name, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
        [input.regionCode, input.kind, input.title.trim(), input.provider.trim(), input.employerId ?? null, input.place.trim(), input.startsOn, input.endsOn, input.sessions, input.capacity, JSON.stringify((input.teachers ?? []).map((t) => t.trim())), input.minAttendance, input.assessmentRequired, input.assessmentRequired ? (input.passMark ?? null) : (input.passMark ?? null), input.certificateName.trim(), ctx.actor.accountId],
      );
      await recordAudit(m, ctx, { action: 'course.create', entityType: 'course', entityId: row.id, regionCode: input.regionCode });
      return this.courseIn(m, ctx, row.id);
    });
  }

  /** Capacity, teachers, place and dates may change; a capacity below the seats taken is refused, a larger one promotes the waitlist. */
  async updateCourse(ctx: RequestContext, id: string, patch: Partial<Pick<CourseInput, 'capacity' | 'teachers' | 'place' | 'startsOn' | 'endsOn' | 'provider' | 'title'>>): Promise<CourseView> {
    return this.ds.transaction(async (m) => {
      const c = await this.lockCourse(m, ctx, id, true);
      const next = { ...c, ...patch };
      if (next.endsOn < next.startsOn) throw fieldError({ endsOn: '结束日期不能早于开始日期' });
      if (patch.capacity !== undefined && patch.capacity < c.seatsTaken) throw fieldError({ capacity: `已有 ${c.seatsTaken} 人占座，名额不能少于此数` });
      await m.query(
        `UPDATE courses SET capacity = $2, teachers = $3, place = $4, starts_on = $5, ends_on = $6, provider = $7, title = $8, updated_at = now() WHERE id = $1`,
        [id, next.capacity, JSON.stringify(next.teachers), next.place, next.startsOn, next.endsOn, next.provider, next.title],
      );
      if (next.capacity > c.capacity) await this.promote(m, id);
      await recordAudit(m, ctx, { action: 'course.update', entityType: 'course', entityId: id, regionCode: c.regionCode, detail: { fields: Object.keys(patch) } });
      return this.courseIn(m, ctx, id);
    });
  }

  async listCourses(ctx: RequestContext, q: { regionCode?: string; kind?: string }): Promise<{ items: CourseView[] }> {
    if (q.regionCode) ctx.scope.requireCovers(q.regionCode, 'query.regionCode');
    const area = ctx.scope.areaCode;
    // Shared rows like postings: the courses of the area, below it and above it (a county's course serves its villages).
    const rows: Row[] = await this.courseRows(
      this.ds.manager,
      `($1::boolean OR c.region_code LIKE $2 OR c.region_code = ANY($3::text[])) AND ($4::text IS NULL OR c.region_code LIKE $4) AND ($5::text IS NULL OR c.kind = $5)`,
      [ctx.scope.isNational, area === null ? '' : `${area}%`, area === null ? [] : regionAncestry(area), q.regionCode ? `${q.regionCode}%` : null, q.kind ?? null],
    );
    return { items: rows.map(courseView) };
  }

  async getCourse(ctx: RequestContext, id: string): Promise<CourseView> {
    return this.courseIn(this.ds.manager, ctx, id);
  }

  private async courseIn(m: EntityManager, ctx: RequestContext, id: string): Promise<CourseView> {
    const [row] = await this.courseRows(m, 'c.id = $1', [id]);
    if (!row || !ctx.scope.seesShared(row.region_code)) throw notFound('培训课程');
    return courseView(row);
  }

  /** Courses with their employer's name and the length of their waitlist (a count, no person). */
  private courseRows(m: EntityManager, where: string, params: unknown[]): Promise<Row[]> {
    return PersonalData.system(m, 'the length of a course\'s waitlist: a count of people, no person').sql(
      (s) => `SELECT c.*, c.starts_on::text AS starts_on, c.ends_on::text AS ends_on, em.name AS employer_name,
         (SELECT count(*) FROM enrollments w WHERE w.course_id = c.id AND w.status = 'waitlisted' AND ${s.everywhere('enrollments', 'a count of the waitlist only')})::int AS waitlisted
       FROM courses c LEFT JOIN employers em ON em.id = c.employer_id WHERE ${where} ORDER BY c.starts_on DESC, c.id LIMIT 500`,
      params,
    );
  }

  /** The course row locked for a seat change; `manage` asks that the caller's area covers it (else only that it sees it). */
  private async lockCourse(m: EntityManager, ctx: RequestContext, id: string, manage: boolean, reached = false): Promise<Course> {
    const c = await m.getRepository(Course).createQueryBuilder('c').where('c.id = :id', { id }).setLock('pessimistic_write').getOne();
    // `reached`: the course of an enrollment the caller already reached (a worker's own): no area to check.
    if (!c || (!reached && !ctx.scope.seesShared(c.regionCode))) throw notFound('培训课程');
    if (manage && !ctx.scope.covers(c.regionCode)) throw new AppError('OUT_OF_AREA', '此课程属于上级区域，只能由其工作人员修改', { courseId: '超出本账号的服务区域' });
    return c;
  }

  private checkCourse(input: CourseInput): void {
    const errors: Record<string, string> = {};
    if (!isTrainingTypeCode(input.kind)) errors.kind = '不是已知的培训类别';
    if (input.endsOn < input.startsOn) errors.endsOn = '结束日期不能早于开始日期';
    if (input.assessmentRequired && (input.passMark === undefined || input.passMark === null)) errors.passMark = '需要考核时必须填写合格分数';
    if (Object.keys(errors).length) throw fieldError(errors);
  }

  private async checkEmployer(m: EntityManager, ctx: RequestContext, employerId: string | null): Promise<void> {
    if (!employerId) return;
    const [e] = await m.query('SELECT region_code FROM employers WHERE id = $1', [employerId]);
    if (!e || !ctx.scope.seesShared(e.region_code)) throw fieldError({ employerId: '用工单位不存在或不在本区域的岗位清单中' });
  }

  // Enrollment

  /**
   * One laborer onto a course (the officer at the door, or staff): a seat when one is free, else the
   * waitlist. `consent`: the officer records that the person agreed (enrolled); without it the person
   * is proposed the course and says yes or no in the mini-program.
   */
  async enroll(ctx: RequestContext, courseId: string, input: { laborerId: string; consent: boolean }): Promise<EnrollmentView> {
    const id = await this.ds.transaction(async (m) => {
      const c = await this.lockCourse(m, ctx, courseId, false);
      const pd = PersonalData.for(m, ctx);
      const l = await pd.one(Laborer, input.laborerId, '劳动力');
      if (!l.regionCode.startsWith(c.regionCode)) throw fieldError({ laborerId: '此人不在课程所属区域内' });
      const seat = c.seatsTaken < c.capacity;
      const status: EnrollmentStatus = seat ? (input.consent ? 'enrolled' : 'proposed') : 'waitlisted';
      const via = ctx.actor.role === 'officer' ? 'officer' : 'staff';
      const rows: Row[] = await pd.sql(
        (s) => `INSERT INTO enrollments (course_id, laborer_id, region_code, status, waitlist_seq, via, consented_at, consent_via, created_by)
         SELECT $1, l.id, l.region_code, $3::text, CASE WHEN $3::text = 'waitlisted' THEN nextval('enrollment_waitlist_seq') END, $4, CASE WHEN $5::boolean THEN now() END, CASE WHEN $5::boolean THEN 'officer' END, $6
         FROM laborers l WHERE l.id = $2 AND ${s.scoped('laborers', 'l')}
         ON CONFLICT (course_id, laborer_id) DO NOTHING RETURNING id`,
        [courseId, l.id, status, via, input.consent, ctx.actor.accountId],
      );
      if (!rows.length) throw new AppError('CONFLICT', '此人已在本课程的名单中', { laborerId: '已报名此课程' });
      await this.offered(pd, c, [l.id], ctx);
      await recordAudit(m, ctx, { action: 'enrollment.create', entityType: 'enrollment', entityId: rows[0].id, regionCode: l.regionCode, detail: { courseId, status } });
      return rows[0].id as string;
    });
    return this.enrollmentView(ctx, id);
  }

  /** The "1 training offer" of the 311 ledger: a course proposed to the person, recorded as a service given. */
  private async offered(pd: PersonalData, c: Course, laborerIds: string[], ctx: RequestContext): Promise<void> {
    await pd.sql(
      (s) => `INSERT INTO service_records (laborer_id, region_code, kind, detail, given_by, given_on)
       SELECT l.id, l.region_code, 'training', $2, $3, $4 FROM laborers l WHERE l.id = ANY($1::uuid[]) AND ${s.scoped('laborers', 'l')}`,
      [laborerIds, offerText(c), ctx.actor.accountId, chinaDate(new Date())],
    );
  }

  /**
   * Enrolls everyone the needs list shows for these filters (the course's kind unless another is named),
   * in the caller's area and the course's region, who is not on the course yet: seats first, in the list's
   * order (village, household), the rest waitlisted. One statement: the list's own query (its area rule and
   * filters, from the lists module) feeds the insert, the 311 services and the counts.
   */
  async enrollFromNeeds(ctx: RequestContext, courseId: string, f: NeedsFilters): Promise<{ seated: number; waitlisted: number; course: CourseView }> {
    const kind = f.kind ?? undefined;
    return this.ds.transaction(async (m) => {
      const c = await this.lockCourse(m, ctx, courseId, false);
      const def = needsListDefinition(kind ?? c.kind);
      const qb = this.lists.candidates(m, ctx, def, f).select('l.id', 'id').addSelect('l.region_code', 'region_code').andWhere('l.region_code LIKE :tn_course_region', { tn_course_region: `${c.regionCode}%` });
      const [candidates, params] = qb.getQueryAndParameters();
      const n = params.length;
      const pd = PersonalData.for(m, ctx);
      const [counts]: Row[] = await pd.sql(
        (s) => `WITH cand AS (${candidates}),
         free AS (SELECT capacity - seats_taken AS n FROM courses WHERE id = $${n + 1}),
         fresh AS (
           SELECT cand.id, cand.region_code, row_number() OVER (ORDER BY cand.region_code, cand.id) AS rn FROM cand
           WHERE NOT EXISTS (SELECT 1 FROM enrollments e0 WHERE e0.course_id = $${n + 1} AND e0.laborer_id = cand.id
             AND ${s.everywhere('enrollments', 'whether the person is on this course already, whoever enrolled them: the unique key would refuse them anyway')})),
         ins AS (
           INSERT INTO enrollments (course_id, laborer_id, region_code, status, waitlist_seq, via, created_by)
           SELECT $${n + 1}, f.id, f.region_code,
                  CASE WHEN f.rn <= free.n THEN 'proposed' ELSE 'waitlisted' END,
                  CASE WHEN f.rn <= free.n THEN NULL ELSE nextval('enrollment_waitlist_seq') END,
                  'needs_list', $${n + 2}
           FROM fresh f CROSS JOIN free ORDER BY f.rn
           ON CONFLICT (course_id, laborer_id) DO NOTHING
           RETURNING laborer_id, region_code, status),
         svc AS (INSERT INTO service_records (laborer_id, region_code, kind, detail, given_by, given_on) SELECT laborer_id, region_code, 'training', $${n + 3}, $${n + 2}, $${n + 4} FROM ins)
         SELECT count(*) FILTER (WHERE status = 'proposed')::int AS seated, count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted FROM ins`,
        [...params, courseId, ctx.actor.accountId, offerText(c), chinaDate(new Date())],
      );
      await recordAudit(m, ctx, {
        action: 'enrollment.from_needs',
        entityType: 'course',
        entityId: courseId,
        regionCode: f.regionCode ?? ctx.scope.areaCode,
        detail: { courseId, seated: counts.seated, waitlisted: counts.waitlisted, filters: auditNeedsFilters({ ...f, kind: kind ?? c.kind }) },
      });
      return { seated: counts.seated, waitlisted: counts.waitlisted, course: await this.courseIn(m, ctx, courseId) };
    });
  }

  /** The worker says yes: a proposed seat becomes theirs; on the waitlist, their consent waits with them. */
  async accept(ctx: RequestContext, enrollmentId: string): Promise<MyTrainingView> {
    await this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const e = await pd.one(Enrollment, enrollmentId, '培训报名', { lock: true });
      if (e.status === 'declined' || e.status === 'withdrawn') throw new AppError('INVALID_STATE', '此报名已取消，不能再接受');
      await pd.update(Enrollment, e.id, { status: e.status === 'proposed' ? 'enrolled' : e.status, consentedAt: e.consentedAt ?? new Date(), consentVia: e.consentVia ?? 'worker' });
      await recordAudit(m, ctx, { action: 'enrollment.accept', entityType: 'enrollment', entityId: e.id, regionCode: e.regionCode, detail: { courseId: e.courseId } });
    });
    return this.mine(ctx);
  }

  /** The worker says no: their seat (if they held one) goes to the waitlist's first. */
  async decline(ctx: RequestContext, enrollmentId: string): Promise<MyTrainingView> {
    await this.leave(ctx, enrollmentId, 'declined');
    return this.mine(ctx);
  }

  /** Staff take someone off a course (moved away, no longer reachable): the seat goes to the waitlist's first. */
  async withdraw(ctx: RequestContext, enrollmentId: string): Promise<EnrollmentView> {
    await this.leave(ctx, enrollmentId, 'withdrawn');
    return this.enrollmentView(ctx, enrollmentId);
  }

  private async leave(ctx: RequestContext, enrollmentId: string, status: 'declined' | 'withdrawn'): Promise<void> {
    await this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const probe = await pd.one(Enrollment, enrollmentId, '培训报名');
      // The course first, then the enrollment: the order every seat change takes.
      const c = await this.lockCourse(m, ctx, probe.courseId, false, ctx.actor.role === 'worker');
      const e = await pd.one(Enrollment, enrollmentId, '培训报名', { lock: true });
      if (e.completedAt) throw new AppError('INVALID_STATE', '已结业的报名不能取消');
      if (e.status === 'declined' || e.status === 'withdrawn') throw new AppError('INVALID_STATE', '此报名已取消');
      await pd.update(Enrollment, e.id, { status, waitlistSeq: null });
      await this.promote(m, c.id);
      await recordAudit(m, ctx, { action: status === 'declined' ? 'enrollment.decline' : 'enrollment.withdraw', entityType: 'enrollment', entityId: e.id, regionCode: e.regionCode, detail: { courseId: c.id } });
    });
  }

  /**
   * Free seats go to the waitlist in its order, in the transaction that freed them (the course row is locked):
   * one who consented already is enrolled, the others proposed.
   */
  private async promote(m: EntityManager, courseId: string): Promise<void> {
    await PersonalData.system(m, 'seats freed on a course the request changed go to its waitlist, in its order').sql(
      (s) => `UPDATE enrollments e SET status = CASE WHEN e.consented_at IS NOT NULL THEN 'enrolled' ELSE 'proposed' END, waitlist_seq = NULL, updated_at = now()
       WHERE e.id IN (SELECT w.id FROM enrollments w WHERE w.course_id = $1 AND w.status = 'waitlisted' AND ${s.scoped('enrollments', 'w')}
                      ORDER BY w.waitlist_seq LIMIT (SELECT capacity - seats_taken FROM courses WHERE id = $1))`,
      [courseId],
    );
  }

  // Reading enrollments

  async enrollments(ctx: RequestContext, courseId: string, q: { status?: EnrollmentStatus }): Promise<{ items: EnrollmentView[] }> {
    const course = await this.courseIn(this.ds.manager, ctx, courseId);
    const items = await this.enrollmentRows(PersonalData.for(this.ds.manager, ctx), 'e.course_id = $1' + (q.status ? ' AND e.status = $2' : ''), q.status ? [courseId, q.status] : [courseId]);
    await recordAudit(this.ds.manager, ctx, { action: 'enrollment.read', entityType: 'course', entityId: course.id, regionCode: ctx.scope.areaCode, detail: { courseId, people: items.length } });
    return { items };
  }

  private async enrollmentView(ctx: RequestContext, id: string): Promise<EnrollmentView> {
    const [v] = await this.enrollmentRows(PersonalData.for(this.ds.manager, ctx), 'e.id = $1', [id]);
    if (!v) throw notFound('培训报名');
    return v;
  }

  private async enrollmentRows(pd: PersonalData, where: string, params: unknown[]): Promise<EnrollmentView[]> {
    const rows: Row[] = await pd.sql(
      (s) => `SELECT e.id, e.course_id, e.laborer_id, e.region_code, e.status, e.via, e.consented_at, e.assessment_score, e.completed_at,
         l.name, l.id_number_enc, l.phone,
         CASE WHEN e.status = 'waitlisted' THEN (SELECT count(*) FROM enrollments w WHERE w.course_id = e.course_id AND w.status = 'waitlisted' AND w.waitlist_seq <= e.waitlist_seq AND ${s.everywhere('enrollments', 'a place on the waitlist counts everyone before it, a number only')})::int END AS waitlist_position,
         COALESCE((SELECT array_agg(a.session_no ORDER BY a.session_no) FROM attendance a WHERE a.enrollment_id = e.id AND a.present AND ${s.scoped('attendance', 'a')}), '{}') AS present_sessions,
         (SELECT ct.serial FROM certificates ct WHERE ct.enrollment_id = e.id AND ${s.scoped('certificates', 'ct')}) AS certificate_serial
       FROM enrollments e JOIN laborers l ON l.id = e.laborer_id AND ${s.scoped('laborers', 'l')}
       WHERE ${where} AND ${s.scoped('enrollments', 'e')}
       ORDER BY CASE e.status WHEN 'enrolled' THEN 0 WHEN 'proposed' THEN 1 WHEN 'waitlisted' THEN 2 ELSE 3 END, e.waitlist_seq NULLS FIRST, e.region_code, l.name, e.id
       LIMIT 20000`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      courseId: r.course_id,
      laborerId: r.laborer_id,
      regionCode: r.region_code,
      name: r.name,
      idNumberMasked: maskIdNumber(this.cipher.decrypt(r.id_number_enc, ID_NUMBER_PURPOSE)),
      phone: r.phone ? maskPhone(r.phone) : null,
      status: r.status,
      waitlistPosition: r.waitlist_position ?? null,
      consented: r.consented_at !== null,
      via: r.via,
      attended: (r.present_sessions as number[]).length,
      presentSessions: (r.present_sessions as number[]).map(Number),
      assessmentScore: r.assessment_score ?? null,
      completedAt: iso(r.completed_at),
      certificateSerial: r.certificate_serial ?? null,
    }));
  }

  // Attendance (offline) and completion

  /**
   * Sync op `attendance.record` (from the sync service's dispatch, inside the op's savepoint): presence at
   * session `sessionNo` of an enrollment the caller reaches. One row per enrollment and session: a second op
   * for the same session replaces the first's value; the same op twice is the sync service's `duplicate`.
   * Then the completion rule is checked.
   */
  async recordAttendanceOp(m: EntityManager, ctx: RequestContext, op: SyncOpInput): Promise<{ result: SyncOpResult; regionCode?: string }> {
    const d = op.data;
    const errors: Record<string, string> = {};
    const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    if (typeof d.enrollmentId !== 'string' || !uuidRe.test(d.enrollmentId)) errors.enrollmentId = '必须是报名编号';
    if (!Number.isInteger(d.sessionNo) || (d.sessionNo as number) < 1) errors.sessionNo = '必须是从 1 开始的课次';
    if (typeof d.present !== 'boolean') errors.present = '必须是 true 或 false';
    const recordedAt = d.recordedAt === undefined ? new Date() : new Date(String(d.recordedAt));
    if (Number.isNaN(recordedAt.getTime()) || recordedAt.getTime() > Date.now() + 5 * 60_000) errors.recordedAt = '时间格式不正确或晚于现在';
    const extra = Object.keys(d).filter((k) => !['enrollmentId', 'sessionNo', 'present', 'recordedAt'].includes(k));
    for (const k of extra) errors[k] = '不认识的字段';
    if (Object.keys(errors).length) return { result: invalid(op, errors) };
    const pd = PersonalData.for(m, ctx);
    const found = await pd.locate(Enrollment, d.enrollmentId as string);
    if (found === 'absent') return { result: reject(op, 'DEPENDENCY_MISSING', '报名记录不存在', false) };
    if (found === 'outside') return { result: reject(op, 'OUT_OF_AREA', '超出本账号的服务区域', false) };
    const e = found.row;
    const [c] = await m.query('SELECT sessions FROM courses WHERE id = $1', [e.courseId]);
    if ((d.sessionNo as number) > Number(c.sessions)) return { result: invalid(op, { sessionNo: `本课程共 ${c.sessions} 次课` }) };
    if (e.status !== 'enrolled' && e.status !== 'proposed') return { result: invalid(op, { enrollmentId: '此人没有本课程的座位（候补或已取消）' }) };
    await pd.sql(
      (s) => `INSERT INTO attendance (id, enrollment_id, course_id, region_code, session_no, present, recorded_by, recorded_at, op_id)
       SELECT $1, e.id, e.course_id, e.region_code, $3, $4, $5, $6, $7 FROM enrollments e WHERE e.id = $2 AND ${s.scoped('enrollments', 'e')}
       ON CONFLICT (enrollment_id, session_no) DO UPDATE SET present = EXCLUDED.present, recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at, op_id = EXCLUDED.op_id, updated_at = now()`,
      [op.entityId, e.id, d.sessionNo, d.present, ctx.actor.accountId, recordedAt, op.opId],
    );
    await this.completeIfDue(m, ctx, e.id);
    return { result: { opId: op.opId, status: 'applied', entityId: op.entityId, version: 1 }, regionCode: e.regionCode };
  }

  /** Staff record the assessment's score (0-100); the completion rule is checked at once. */
  async assess(ctx: RequestContext, enrollmentId: string, score: number): Promise<EnrollmentView> {
    await this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const e = await pd.one(Enrollment, enrollmentId, '培训报名');
      const [c] = await m.query('SELECT region_code FROM courses WHERE id = $1', [e.courseId]);
      if (!ctx.scope.seesShared(c.region_code)) throw notFound('培训报名');
      await pd.update(Enrollment, e.id, { assessmentScore: score });
      await recordAudit(m, ctx, { action: 'enrollment.assess', entityType: 'enrollment', entityId: e.id, regionCode: e.regionCode, detail: { courseId: e.courseId } });
      await this.completeIfDue(m, ctx, e.id);
    });
    return this.enrollmentView(ctx, enrollmentId);
  }

  /**
   * The completion rule: attended share of the sessions >= the course's minimum, and (when the course has an
   * assessment) a score at or above the pass mark. When met, the enrollment is completed and its
   * certificate issued, exactly once: the enrollment row is locked first, so concurrent callers take turns
   * and the later ones find the certificate (uq_certificates_enrollment refuses a second one regardless).
   * The certificate's name joins the laborer's certificates held (a new version of the record, synced to
   * the devices like any edit) and the laborer is matched again (postings asking for it score higher).
   */
  async completeIfDue(m: EntityManager, ctx: RequestContext, enrollmentId: string): Promise<string | null> {
    const sys = PersonalData.system(m, 'the completion rule of an enrollment the request reached in its own scope');
    const [e]: Row[] = await sys.sql(
      (s) => `SELECT e.id, e.status, e.assessment_score, e.completed_at, e.laborer_id, e.region_code, e.course_id,
         c.sessions, c.min_attendance, c.assessment_required, c.pass_mark, c.region_code AS course_region, c.title, c.kind, c.provider, c.certificate_name,
         c.starts_on::text AS starts_on, c.ends_on::text AS ends_on
       FROM enrollments e JOIN courses c ON c.id = e.course_id WHERE e.id = $1 AND ${s.scoped('enrollments', 'e')} FOR UPDATE OF e`,
      [enrollmentId],
    );
    if (!e || (e.status !== 'enrolled' && e.status !== 'proposed')) return null;
    const [existing]: Row[] = await sys.sql((s) => `SELECT serial FROM certificates ct WHERE ct.enrollment_id = $1 AND ${s.scoped('certificates', 'ct')}`, [enrollmentId]);
    if (existing) return existing.serial;
    const [{ n }]: Row[] = await sys.sql((s) => `SELECT count(*)::int AS n FROM attendance a WHERE a.enrollment_id = $1 AND a.present AND ${s.scoped('attendance', 'a')}`, [enrollmentId]);
    const attendedEnough = n >= Math.ceil(Number(e.min_attendance) * Number(e.sessions) - 1e-9);
    const passed = !e.assessment_required || (e.assessment_score !== null && Number(e.assessment_score) >= Number(e.pass_mark));
    if (!attendedEnough || !passed) return null;

    const now = new Date();
    const issuedOn = chinaDate(now);
    const county = String(e.course_region).slice(0, 6).padEnd(6, '0');
    const year = Number(issuedOn.slice(0, 4));
    const [{ last }]: Row[] = await m.query(
      `INSERT INTO certificate_serials (county_code, year, last) VALUES ($1, $2, 1) ON CONFLICT (county_code, year) DO UPDATE SET last = certificate_serials.last + 1 RETURNING last`,
      [county, year],
    );
    const serial = `${county}-${year}-${String(last).padStart(6, '0')}`;
    const [l]: Row[] = await sys.sql((s) => `SELECT l.name, l.id_number_enc, l.certificates, l.version, l.field_meta FROM laborers l WHERE l.id = $1 AND ${s.scoped('laborers', 'l')} FOR UPDATE`, [e.laborer_id]);
    const masked = maskIdNumber(this.cipher.decrypt(l.id_number_enc, ID_NUMBER_PURPOSE));
    const inserted: Row[] = await sys.sql(
      (s) => `INSERT INTO certificates (enrollment_id, course_id, laborer_id, region_code, serial, check_code, holder_name, id_number_masked, course_title, kind, provider, certificate_name, starts_on, ends_on, issued_on)
       SELECT e.id, e.course_id, e.laborer_id, e.region_code, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 FROM enrollments e WHERE e.id = $1 AND ${s.scoped('enrollments', 'e')}
       ON CONFLICT (enrollment_id) DO NOTHING RETURNING id`,
      [enrollmentId, serial, checkCode(), l.name, masked, e.title, e.kind, e.provider, e.certificate_name, e.starts_on, e.ends_on, issuedOn],
    );
    if (!inserted.length) return null;
    await sys.update(Enrollment, enrollmentId, { completedAt: e.completed_at ?? now, status: 'enrolled' });
    await recordAudit(m, ctx, { action: 'certificate.issue', entityType: 'certificate', entityId: inserted[0].id, regionCode: e.region_code, detail: { courseId: e.course_id, serial } });

    // The laborer's record: the certificate held, as a new version (history, devices' feed, matching).
    const held: string[] = l.certificates ?? [];
    if (!held.includes(e.certificate_name)) {
      const version = Number(l.version) + 1;
      const certificates = [...held, e.certificate_name];
      await sys.update(Laborer, e.laborer_id, { certificates, version, fieldMeta: { ...l.field_meta, ...metaFor(['certificates'], version, 'training') }, updatedBy: ctx.actor.accountId } as never);
      await recordChange(sys, { entityType: 'laborer', entityId: e.laborer_id, regionCode: e.region_code, version, changes: { certificates: { from: held, to: certificates } }, ctx, deviceId: null, opId: null });
      await recordFeed(sys, 'laborer', e.laborer_id, [e.region_code]);
      await this.triggers.seekersChanged(m, [e.laborer_id]);
    }
    return serial;
  }

  // Certificates

  async certificates(ctx: RequestContext, q: { courseId?: string }): Promise<{ items: CertificateView[] }> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const rows: Row[] = await pd.sql(
      (s) => `SELECT ct.*, ct.starts_on::text AS starts_on, ct.ends_on::text AS ends_on, ct.issued_on::text AS issued_on FROM certificates ct
       WHERE ${s.scoped('certificates', 'ct')} ${q.courseId ? 'AND ct.course_id = $1' : ''} ORDER BY ct.serial LIMIT 5000`,
      q.courseId ? [q.courseId] : [],
    );
    return { items: rows.map(certificateView) };
  }

  async certificate(ctx: RequestContext, id: string, audit: boolean): Promise<CertificateView> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const [row]: Row[] = await pd.sql(
      (s) => `SELECT ct.*, ct.starts_on::text AS starts_on, ct.ends_on::text AS ends_on, ct.issued_on::text AS issued_on FROM certificates ct WHERE ct.id = $1 AND ${s.scoped('certificates', 'ct')}`,
      [id],
    );
    if (!row) throw notFound('培训证书');
    if (audit) await recordAudit(this.ds.manager, ctx, { action: 'certificate.read_pdf', entityType: 'certificate', entityId: id, regionCode: row.region_code, detail: { serial: row.serial } });
    return certificateView(row);
  }

  async revoke(ctx: RequestContext, id: string, reason: string): Promise<CertificateView> {
    await this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      // An UPDATE answers [rows, count] (TypeORM's postgres driver).
      const [rows]: [Row[], number] = await pd.sql(
        (s) => `UPDATE certificates ct SET revoked_at = now(), revoked_by = $2, revoke_reason = $3 WHERE ct.id = $1 AND ct.revoked_at IS NULL AND ${s.scoped('certificates', 'ct')} RETURNING ct.serial, ct.region_code`,
        [id, ctx.actor.accountId, reason.trim()],
      );
      if (!rows.length) {
        await this.certificate(ctx, id, false);
        throw new AppError('INVALID_STATE', '此证书已撤销');
      }
      await recordAudit(m, ctx, { action: 'certificate.revoke', entityType: 'certificate', entityId: id, regionCode: rows[0].region_code, detail: { serial: rows[0].serial, reason: reason.trim().replace(/\d{4,}/g, '…') } });
    });
    return this.certificate(ctx, id, false);
  }

  /**
   * The public check of a certificate: found only with its serial AND its check code (both printed, the
   * code inside the QR link), so the serials can't be walked; answers every printed field and whether it
   * was revoked. Unknown serial and wrong code answer the same 404.
   */
  async verify(serial: string, code: string): Promise<CertificateVerification> {
    const pd = PersonalData.system(this.ds.manager, 'the public verification of one certificate, found by its serial and check code together');
    const [row]: Row[] = await pd.sql(
      (s) => `SELECT ct.*, ct.starts_on::text AS starts_on, ct.ends_on::text AS ends_on, ct.issued_on::text AS issued_on FROM certificates ct WHERE ct.serial = $1 AND ${s.scoped('certificates', 'ct')}`,
      [serial],
    );
    if (!row || !sameCode(row.check_code, code)) throw new AppError('NOT_FOUND', '未找到此证书：请核对证书编号与二维码');
    const v: Partial<CertificateView> = certificateView(row);
    delete v.id;
    delete v.enrollmentId;
    delete v.verifyPath;
    return v as CertificateVerification;
  }

  // The worker's side

  async mine(ctx: RequestContext): Promise<MyTrainingView> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const rows: Row[] = await pd.sql(
      (s) => `SELECT e.id, e.status, e.consented_at, c.id AS course_id, c.kind, c.title, c.provider, c.place, c.sessions, c.certificate_name,
         c.starts_on::text AS starts_on, c.ends_on::text AS ends_on, em.name AS employer_name,
         CASE WHEN e.status = 'waitlisted' THEN (SELECT count(*) FROM enrollments w WHERE w.course_id = e.course_id AND w.status = 'waitlisted' AND w.waitlist_seq <= e.waitlist_seq AND ${s.everywhere('enrollments', 'a place on the waitlist counts everyone before it, a number only')})::int END AS waitlist_position,
         (SELECT count(*) FROM attendance a WHERE a.enrollment_id = e.id AND a.present AND ${s.everywhere('attendance', 'the sessions attended on the worker\'s own enrollment (e is scoped)')})::int AS attended
       FROM enrollments e JOIN courses c ON c.id = e.course_id LEFT JOIN employers em ON em.id = c.employer_id
       WHERE ${s.scoped('enrollments', 'e')} ORDER BY c.starts_on DESC, e.id`,
    );
    const certs: Row[] = await pd.sql(
      (s) => `SELECT ct.*, ct.starts_on::text AS starts_on, ct.ends_on::text AS ends_on, ct.issued_on::text AS issued_on FROM certificates ct WHERE ${s.scoped('certificates', 'ct')} ORDER BY ct.issued_on DESC`,
    );
    return {
      enrollments: rows.map((r) => ({
        id: r.id,
        status: r.status,
        consented: r.consented_at !== null,
        waitlistPosition: r.waitlist_position ?? null,
        attended: Number(r.attended),
        course: { id: r.course_id, kind: r.kind, title: r.title, provider: r.provider, employerName: r.employer_name ?? null, place: r.place, startsOn: day(r.starts_on), endsOn: day(r.ends_on), sessions: Number(r.sessions), certificateName: r.certificate_name },
      })),
      certificates: certs.map(certificateView),
    };
  }

  async myCertificate(ctx: RequestContext, id: string): Promise<CertificateView> {
    return this.certificate(ctx, id, false);
  }

  // Outcome

  /**
   * 上岗率: of those who completed the course D days ago or more (D = 30, 90, 180), how many were employed D days
   * after completing, from their employment record: employed now (an employed status) since a date no later
   * than completion + D. Someone who found work and lost it again before today is not counted (the record
   * keeps the current job only). Counted over the completers in the caller's area.
   */
  async outcome(ctx: RequestContext, courseId: string): Promise<CourseOutcome> {
    await this.courseIn(this.ds.manager, ctx, courseId);
    const pd = PersonalData.for(this.ds.manager, ctx);
    const today = chinaDate(new Date());
    const [r]: Row[] = await pd.sql(
      (s) => `SELECT count(*)::int AS completed, ${TRAINING_OUTCOME_DAYS.map(
        (d) => `count(*) FILTER (WHERE (e.completed_at AT TIME ZONE 'Asia/Shanghai')::date + ${d} <= $2::date)::int AS due_${d},
         count(*) FILTER (WHERE (e.completed_at AT TIME ZONE 'Asia/Shanghai')::date + ${d} <= $2::date AND l.employment_status = ANY($3::text[]) AND l.employed_since IS NOT NULL AND l.employed_since <= (e.completed_at AT TIME ZONE 'Asia/Shanghai')::date + ${d})::int AS employed_${d}`,
      ).join(', ')}
       FROM enrollments e JOIN laborers l ON l.id = e.laborer_id AND ${s.scoped('laborers', 'l')}
       WHERE e.course_id = $1 AND e.completed_at IS NOT NULL AND ${s.scoped('enrollments', 'e')}`,
      [courseId, today, [...EMPLOYED_STATUSES]],
    );
    return {
      courseId,
      completed: r.completed,
      after: TRAINING_OUTCOME_DAYS.map((d) => ({ days: d, due: r[`due_${d}`], employed: r[`employed_${d}`], rate: r[`due_${d}`] ? r[`employed_${d}`] / r[`due_${d}`] : null })),
    };
  }

  /**
   * 上岗率 of an area (the dashboard's card): of the people of the caller's area (or `regionCode` within it) who
   * completed a course in the year up to 90 days ago, how many were employed 90 days after completing (the rule
   * of `outcome`). Bounded: one year of completions of one area, counted in the database.
   */
  async areaOutcome(ctx: RequestContext, regionCode?: string): Promise<AreaTrainingOutcome> {
    if (regionCode) ctx.scope.requireCovers(regionCode, 'query.regionCode');
    const days = AREA_OUTCOME_DAYS;
    const today = chinaDate(new Date());
    const pd = PersonalData.for(this.ds.manager, ctx);
    const [r]: Row[] = await pd.sql(
      (s) => `WITH done AS (
         SELECT e.laborer_id, (e.completed_at AT TIME ZONE 'Asia/Shanghai')::date AS on_day FROM enrollments e
         WHERE e.completed_at IS NOT NULL AND e.completed_at >= ($1::date - ${days + 366})::timestamp AND ($2::text IS NULL OR e.region_code LIKE $2) AND ${s.scoped('enrollments', 'e')})
       SELECT count(*)::int AS due, (($1::date - ${days + 365}))::text AS from_day, (($1::date - ${days}))::text AS to_day,
         count(*) FILTER (WHERE l.employment_status = ANY($3::text[]) AND l.employed_since IS NOT NULL AND l.employed_since <= d.on_day + ${days})::int AS employed
       FROM done d JOIN laborers l ON l.id = d.laborer_id AND ${s.scoped('laborers', 'l')}
       WHERE d.on_day BETWEEN $1::date - ${days + 365} AND $1::date - ${days}`,
      [today, regionCode ? `${regionCode}%` : null, [...EMPLOYED_STATUSES]],
    );
    return { regionCode: regionCode ?? ctx.scope.areaCode, days, from: r.from_day, to: r.to_day, due: r.due, employed: r.employed, rate: r.due ? r.employed / r.due : null };
  }

  /** Counts of the needs list by kind of training, in the caller's area (or `regionCode` within it). */
  async needsSummary(ctx: RequestContext, regionCode?: string): Promise<{ items: Array<{ kind: string; people: number }> }> {
    if (regionCode) ctx.scope.requireCovers(regionCode, 'query.regionCode');
    const pd = PersonalData.for(this.ds.manager, ctx);
    const rows: Row[] = await pd.sql(
      (s) => `SELECT k.kind, count(*)::int AS people FROM laborers l CROSS JOIN LATERAL jsonb_array_elements_text(l.training_wanted) AS k(kind)
       WHERE ${s.scoped('laborers', 'l')} ${regionCode ? 'AND l.region_code LIKE $1' : ''} GROUP BY k.kind ORDER BY people DESC, k.kind`,
      regionCode ? [`${regionCode}%`] : [],
    );
    return { items: rows.map((r) => ({ kind: r.kind, people: r.people })) };
  }
}

function offerText(c: Pick<Course, 'title' | 'provider' | 'startsOn'>): string {
  return `培训推荐：${c.title}（${c.provider}，${day(c.startsOn)} 开班）`.slice(0, 500);
}

function auditNeedsFilters(f: NeedsFilters & { kind: string }): AuditDetail<'enrollment.from_needs'>['filters'] {
  const out: Record<string, string | number | boolean> = { kind: f.kind };
  for (const k of ['kind', 'regionCode', 'employmentStatus', 'serviceNeed', 'povertyStatus', 'sex', 'ageMin', 'ageMax'] as const) {
    if (f[k] !== undefined) out[k] = f[k] as string | number;
  }
  if (f.q) out.q = true;
  return out as AuditDetail<'enrollment.from_needs'>['filters'];
}
