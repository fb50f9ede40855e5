import { MigrationInterface, QueryRunner } from 'typeorm';

export class Transport1796510000000 implements MigrationInterface {
  name = 'Transport1796510000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "trips" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "region_code" character varying(12) COLLATE "C" NOT NULL, "title" character varying(100) NOT NULL, "direction" character varying(16) NOT NULL, "departure_at" TIMESTAMP WITH TIME ZONE NOT NULL, "employer_ids" jsonb NOT NULL, "partner_region_code" character varying(12) COLLATE "C", "destination" character varying(200), "vehicle" character varying(50) NOT NULL, "seats" smallint NOT NULL, "drivers" jsonb NOT NULL, "escort_ids" jsonb NOT NULL, "pickup_points" jsonb NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'open', "departed_at" TIMESTAMP WITH TIME ZONE, "arrived_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL DEFAULT '1', "created_by" uuid NOT NULL, "updated_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_trips_id_seats" UNIQUE ("id", "seats"), CONSTRAINT "ck_trips_direction" CHECK ("direction" IN ('outbound', 'return')), CONSTRAINT "ck_trips_status" CHECK ("status" IN ('open', 'boarding', 'departed', 'arrived', 'cancelled')), CONSTRAINT "ck_trips_seats" CHECK ("seats" BETWEEN 1 AND 99), CONSTRAINT "PK_f71c231dee9c05a9522f9e840f5" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_trips_region_departure" ON "trips"  ("region_code", "departure_at") `);
    await queryRunner.query(`CREATE TABLE "trip_passengers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "trip_id" uuid NOT NULL, "trip_seats" smallint NOT NULL, "laborer_id" uuid NOT NULL, "region_code" character varying(12) COLLATE "C" NOT NULL, "employer_id" uuid, "pickup_point" character varying(16), "seat_no" smallint NOT NULL, "source" character varying(16) NOT NULL, "check_code" character varying(16) NOT NULL, "added_by" uuid NOT NULL, "boarded_at" TIMESTAMP WITH TIME ZONE, "boarded_by" uuid, "boarded_op_id" uuid, "handed_over_at" TIMESTAMP WITH TIME ZONE, "handed_over_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_trip_passengers_check_code" UNIQUE ("trip_id", "check_code"), CONSTRAINT "uq_trip_passengers_laborer" UNIQUE ("trip_id", "laborer_id"), CONSTRAINT "uq_trip_passengers_seat" UNIQUE ("trip_id", "seat_no"), CONSTRAINT "ck_trip_passengers_seat" CHECK ("seat_no" BETWEEN 1 AND "trip_seats"), CONSTRAINT "PK_a7d43e9846e77db14a9faf940d1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_trip_passengers_employer" ON "trip_passengers"  ("employer_id") `);
    await queryRunner.query(`CREATE INDEX "idx_trip_passengers_laborer" ON "trip_passengers"  ("laborer_id") `);
    await queryRunner.query(`ALTER TABLE "trip_passengers" ADD CONSTRAINT "FK_26392cbccb308dfd3056e06fd6f" FOREIGN KEY ("trip_id", "trip_seats") REFERENCES "trips"("id","seats") ON DELETE CASCADE ON UPDATE CASCADE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "trip_passengers" DROP CONSTRAINT "FK_26392cbccb308dfd3056e06fd6f"`);
    await queryRunner.query(`DROP INDEX "public"."idx_trip_passengers_laborer"`);
    await queryRunner.query(`DROP INDEX "public"."idx_trip_passengers_employer"`);
    await queryRunner.query(`DROP TABLE "trip_passengers"`);
    await queryRunner.query(`DROP INDEX "public"."idx_trips_region_departure"`);
    await queryRunner.query(`DROP TABLE "trips"`);
  }
}
