import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Until when a seeker's stored picks all keep their score (`frozen_until`, issue 15): the first moment one of them
 * loses freshness points as it ages ('infinity' when none can any more; NULL for rows written before this, which
 * count as not frozen). While the picks are frozen, a new posting can enter the seeker's top N only by reaching the
 * N-th pick's score itself, so the reach query needs no freshness slack for them (matcher.ts `reachable`).
 */
export class MatchPicksFrozen1797130000000 implements MigrationInterface {
  name = 'MatchPicksFrozen1797130000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "match_thresholds" ADD COLUMN "frozen_until" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "match_thresholds" DROP COLUMN "frozen_until"`);
  }
}
