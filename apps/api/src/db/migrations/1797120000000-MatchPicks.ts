import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A seeker's picks beside their threshold (issue 15): the postings of their last matching's top N,
 * in rank order, with each one's employer and score (`pick_posting_ids`, `pick_employer_ids`,
 * `pick_scores`), and the day that matching was worked out on (`computed_on`). A new posting's
 * matching answers a seeker from these (their picks rescored against the postings as they are now,
 * plus the new posting) instead of a top-N recompute over every open posting, whenever they answer
 * exactly what the recompute would (matcher.ts `fromPicks`); otherwise it recomputes. NULL picks
 * (rows written before this) never answer. An import drops the rows of the counties it touches until
 * their refresh writes them again (idx_match_thresholds_county). Not personal data.
 */
export class MatchPicks1797120000000 implements MigrationInterface {
  name = 'MatchPicks1797120000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "match_thresholds"
         ADD COLUMN "pick_posting_ids" uuid[],
         ADD COLUMN "pick_employer_ids" uuid[],
         ADD COLUMN "pick_scores" smallint[],
         ADD COLUMN "computed_on" date`,
    );
    await queryRunner.query(`CREATE INDEX "idx_match_thresholds_county" ON "match_thresholds" ("county_code")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_match_thresholds_county"`);
    await queryRunner.query(`ALTER TABLE "match_thresholds" DROP COLUMN "pick_posting_ids", DROP COLUMN "pick_employer_ids", DROP COLUMN "pick_scores", DROP COLUMN "computed_on"`);
  }
}
