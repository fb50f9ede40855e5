import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A new posting's matching reads only the seekers it can enter (issue 15): per
 * seeker the score of the N-th pick of their last matching (`threshold`, null
 * when fewer than N fit), written in the transaction that writes their
 * recommendations, with what it was computed from: the laborer's version and
 * county (an edit or a move makes it stale), and the day it stops holding
 * (the next birthday, or the first day one of the N picks is out of date).
 * A row that is missing or stale counts as "no threshold". Not personal data
 * (a score and a county); dropped with its laborer.
 */
export class MatchThresholds1797105000000 implements MigrationInterface {
  name = 'MatchThresholds1797105000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "match_thresholds" (
         "laborer_id" uuid NOT NULL,
         "threshold" smallint,
         "laborer_version" integer NOT NULL,
         "county_code" character varying(6) COLLATE "C" NOT NULL,
         "valid_before" date NOT NULL,
         "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         CONSTRAINT "PK_match_thresholds" PRIMARY KEY ("laborer_id"),
         CONSTRAINT "FK_match_thresholds_laborer" FOREIGN KEY ("laborer_id") REFERENCES "laborers"("id") ON DELETE CASCADE
       )`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "match_thresholds"`);
  }
}
