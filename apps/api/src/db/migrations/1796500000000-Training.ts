import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Training (issue 13): courses, enrollments with the seat counter the database holds (a statement-level
 * trigger counts the seat-holding enrollments into courses.seats_taken, and a CHECK keeps it within the
 * capacity, whatever statement writes them), attendance per session (unique per enrollment and session),
 * certificates (unique per enrollment, serial unique) and the per-county, per-year serial counter.
 */
export class Training1796500000000 implements MigrationInterface {
  name = 'Training1796500000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "courses" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "region_code" character varying(12) COLLATE "C" NOT NULL,
      "kind" character varying(20) NOT NULL,
      "title" character varying(100) NOT NULL,
      "provider" character varying(100) NOT NULL,
      "employer_id" uuid,
      "place" character varying(100) NOT NULL,
      "starts_on" date NOT NULL,
      "ends_on" date NOT NULL,
      "sessions" smallint NOT NULL,
      "capacity" integer NOT NULL,
      "seats_taken" integer NOT NULL DEFAULT 0,
      "teachers" jsonb NOT NULL DEFAULT '[]',
      "min_attendance" numeric(4,3) NOT NULL,
      "assessment_required" boolean NOT NULL,
      "pass_mark" smallint,
      "certificate_name" character varying(50) NOT NULL,
      "created_by" uuid NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_courses" PRIMARY KEY ("id"),
      CONSTRAINT "chk_courses_dates" CHECK (ends_on >= starts_on),
      CONSTRAINT "chk_courses_sessions" CHECK (sessions BETWEEN 1 AND 200),
      CONSTRAINT "chk_courses_capacity" CHECK (capacity BETWEEN 1 AND 10000),
      CONSTRAINT "chk_courses_seats" CHECK (seats_taken >= 0 AND seats_taken <= capacity),
      CONSTRAINT "chk_courses_attendance" CHECK (min_attendance > 0 AND min_attendance <= 1),
      CONSTRAINT "chk_courses_pass_mark" CHECK ((pass_mark IS NULL OR pass_mark BETWEEN 0 AND 100) AND (NOT assessment_required OR pass_mark IS NOT NULL))
    )`);
    await q.query(`CREATE INDEX "idx_courses_region_code" ON "courses" ("region_code")`);
    await q.query(`ALTER TABLE "courses" ADD CONSTRAINT "FK_07e312eef3206e0c3bb48076d94" FOREIGN KEY ("employer_id") REFERENCES "employers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);

    await q.query(`CREATE SEQUENCE "enrollment_waitlist_seq"`);
    await q.query(`CREATE TABLE "enrollments" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "course_id" uuid NOT NULL,
      "laborer_id" uuid NOT NULL,
      "region_code" character varying(12) COLLATE "C" NOT NULL,
      "status" character varying(12) NOT NULL,
      "waitlist_seq" bigint,
      "via" character varying(12) NOT NULL,
      "consented_at" TIMESTAMP WITH TIME ZONE,
      "consent_via" character varying(8),
      "assessment_score" smallint,
      "completed_at" TIMESTAMP WITH TIME ZONE,
      "created_by" uuid NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_enrollments" PRIMARY KEY ("id"),
      CONSTRAINT "uq_enrollments_course_laborer" UNIQUE ("course_id", "laborer_id"),
      CONSTRAINT "chk_enrollments_status" CHECK (status IN ('proposed', 'enrolled', 'waitlisted', 'declined', 'withdrawn')),
      CONSTRAINT "chk_enrollments_waitlist" CHECK ((status = 'waitlisted') = (waitlist_seq IS NOT NULL)),
      CONSTRAINT "chk_enrollments_score" CHECK (assessment_score IS NULL OR assessment_score BETWEEN 0 AND 100)
    )`);
    await q.query(`CREATE INDEX "idx_enrollments_region_code" ON "enrollments" ("region_code")`);
    await q.query(`CREATE INDEX "idx_enrollments_laborer" ON "enrollments" ("laborer_id")`);
    await q.query(`CREATE INDEX "idx_enrollments_waitlist" ON "enrollments" ("course_id", "waitlist_seq") WHERE status = 'waitlisted'`);
    await q.query(`ALTER TABLE "enrollments" ADD CONSTRAINT "FK_b79d0bf01779fdf9cfb6b092af3" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "enrollments" ADD CONSTRAINT "FK_cf8f39bdc976fe6d1d41622697a" FOREIGN KEY ("laborer_id") REFERENCES "laborers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);

    // The seat counter: every statement that inserts, changes or deletes enrollments moves it by the seats
    // it took or freed, in the same transaction; chk_courses_seats refuses a statement that would overbook.
    await q.query(`CREATE FUNCTION "training_count_seats"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        UPDATE courses c SET seats_taken = c.seats_taken + d.n
        FROM (SELECT course_id, count(*)::int AS n FROM new_rows WHERE status IN ('proposed', 'enrolled') GROUP BY course_id) d WHERE c.id = d.course_id;
      ELSIF TG_OP = 'UPDATE' THEN
        UPDATE courses c SET seats_taken = c.seats_taken + d.n
        FROM (SELECT course_id, sum(n)::int AS n FROM (
                SELECT course_id, 1 AS n FROM new_rows WHERE status IN ('proposed', 'enrolled')
                UNION ALL SELECT course_id, -1 FROM old_rows WHERE status IN ('proposed', 'enrolled')) x
              GROUP BY course_id HAVING sum(n) <> 0) d WHERE c.id = d.course_id;
      ELSE
        UPDATE courses c SET seats_taken = c.seats_taken - d.n
        FROM (SELECT course_id, count(*)::int AS n FROM old_rows WHERE status IN ('proposed', 'enrolled') GROUP BY course_id) d WHERE c.id = d.course_id;
      END IF;
      RETURN NULL;
    END $$`);
    await q.query(`CREATE TRIGGER "trg_enrollments_seats_insert" AFTER INSERT ON "enrollments" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION training_count_seats()`);
    await q.query(`CREATE TRIGGER "trg_enrollments_seats_update" AFTER UPDATE ON "enrollments" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION training_count_seats()`);
    await q.query(`CREATE TRIGGER "trg_enrollments_seats_delete" AFTER DELETE ON "enrollments" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION training_count_seats()`);

    await q.query(`CREATE TABLE "attendance" (
      "id" uuid NOT NULL,
      "enrollment_id" uuid NOT NULL,
      "course_id" uuid NOT NULL,
      "region_code" character varying(12) COLLATE "C" NOT NULL,
      "session_no" smallint NOT NULL,
      "present" boolean NOT NULL,
      "recorded_by" uuid NOT NULL,
      "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "op_id" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_attendance" PRIMARY KEY ("id"),
      CONSTRAINT "uq_attendance_enrollment_session" UNIQUE ("enrollment_id", "session_no"),
      CONSTRAINT "chk_attendance_session" CHECK (session_no >= 1)
    )`);
    await q.query(`CREATE INDEX "idx_attendance_region_code" ON "attendance" ("region_code")`);
    await q.query(`ALTER TABLE "attendance" ADD CONSTRAINT "FK_005fdbba9ac200693005f5ab21f" FOREIGN KEY ("enrollment_id") REFERENCES "enrollments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);

    await q.query(`CREATE TABLE "certificate_serials" ("county_code" character varying(6) COLLATE "C" NOT NULL, "year" smallint NOT NULL, "last" integer NOT NULL, CONSTRAINT "PK_certificate_serials" PRIMARY KEY ("county_code", "year"))`);
    await q.query(`CREATE TABLE "certificates" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "enrollment_id" uuid NOT NULL,
      "course_id" uuid NOT NULL,
      "laborer_id" uuid NOT NULL,
      "region_code" character varying(12) COLLATE "C" NOT NULL,
      "serial" character varying(24) COLLATE "C" NOT NULL,
      "check_code" character varying(16) COLLATE "C" NOT NULL,
      "holder_name" character varying(50) NOT NULL,
      "id_number_masked" character varying(18) NOT NULL,
      "course_title" character varying(100) NOT NULL,
      "kind" character varying(20) NOT NULL,
      "provider" character varying(100) NOT NULL,
      "certificate_name" character varying(50) NOT NULL,
      "starts_on" date NOT NULL,
      "ends_on" date NOT NULL,
      "issued_on" date NOT NULL,
      "revoked_at" TIMESTAMP WITH TIME ZONE,
      "revoked_by" uuid,
      "revoke_reason" character varying(200),
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_certificates" PRIMARY KEY ("id"),
      CONSTRAINT "uq_certificates_enrollment" UNIQUE ("enrollment_id"),
      CONSTRAINT "uq_certificates_serial" UNIQUE ("serial")
    )`);
    await q.query(`CREATE INDEX "idx_certificates_region_code" ON "certificates" ("region_code")`);
    await q.query(`CREATE INDEX "idx_certificates_laborer" ON "certificates" ("laborer_id")`);
    await q.query(`CREATE INDEX "idx_certificates_course" ON "certificates" ("course_id")`);
    await q.query(`ALTER TABLE "certificates" ADD CONSTRAINT "FK_f0f3773b2ccb7811da9ccd63d94" FOREIGN KEY ("enrollment_id") REFERENCES "enrollments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "certificates" ADD CONSTRAINT "FK_0f5f4ded550cb20f5ab126437ab" FOREIGN KEY ("laborer_id") REFERENCES "laborers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "certificates"`);
    await q.query(`DROP TABLE "certificate_serials"`);
    await q.query(`DROP TABLE "attendance"`);
    await q.query(`DROP TABLE "enrollments"`);
    await q.query(`DROP FUNCTION "training_count_seats"()`);
    await q.query(`DROP SEQUENCE "enrollment_waitlist_seq"`);
    await q.query(`DROP TABLE "courses"`);
  }
}
