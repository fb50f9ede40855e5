import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change feed by area (issue 15): a change is a row for the record's region and one for each region above it,
 * read by (region_code, xid, seq); the devices' places in the feed and the retention job's bookkeeping; households and
 * visits indexed by (region_code, id) for a new device's snapshot (laborers already are: MatchingByCounty).
 */
export class FeedByArea1797000000000 implements MigrationInterface {
  name = 'FeedByArea1797000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Every existing row is a record's own region: add the rows of the regions above it (same transaction id, so in
    // the same place of each area's order; a device's old cursor may see some of them once more, never miss one).
    await queryRunner.query(`INSERT INTO "sync_changes" ("xid", "entity_type", "entity_id", "region_code")
      SELECT DISTINCT c."xid", c."entity_type", c."entity_id", left(c."region_code", n)
      FROM "sync_changes" c CROSS JOIN unnest(ARRAY[2, 4, 6, 9]) AS n WHERE n < length(c."region_code") ORDER BY 1`);
    await queryRunner.query(`DROP INDEX "public"."idx_sync_changes_region_code"`);
    await queryRunner.query(`CREATE INDEX "idx_sync_changes_region_xid_seq" ON "sync_changes"  ("region_code", "xid", "seq") `);
    for (const t of ['households', 'visits']) {
      await queryRunner.query(`DROP INDEX "public"."idx_${t}_region_code"`);
      await queryRunner.query(`CREATE INDEX "idx_${t}_region_code" ON "${t}"  ("region_code", "id") `);
    }
    // Where each device is in the feed (the cursor it last read from), for the retention job.
    await queryRunner.query(`CREATE TABLE "sync_devices" ("account_id" uuid NOT NULL, "device_id" character varying(64) NOT NULL,
      "area_code" character varying(12) COLLATE "C", "cursor_xid" bigint NOT NULL, "cursor_seq" bigint NOT NULL,
      "seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_sync_devices" PRIMARY KEY ("account_id", "device_id"))`);
    // Each run of the retention job notes the oldest transaction still running: how old a transaction id is.
    await queryRunner.query(`CREATE TABLE "sync_feed_marks" ("at" TIMESTAMP WITH TIME ZONE NOT NULL, "xid" bigint NOT NULL, CONSTRAINT "pk_sync_feed_marks" PRIMARY KEY ("at"))`);
    // The feed's floor: rows of transactions below it are gone, and a cursor below it must start again from a snapshot.
    await queryRunner.query(`CREATE TABLE "sync_feed_state" ("id" smallint NOT NULL, "floor_xid" bigint NOT NULL, CONSTRAINT "pk_sync_feed_state" PRIMARY KEY ("id"), CONSTRAINT "ck_sync_feed_state_one" CHECK ("id" = 1))`);
    await queryRunner.query(`INSERT INTO "sync_feed_state" ("id", "floor_xid") VALUES (1, 0)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "sync_feed_state"`);
    await queryRunner.query(`DROP TABLE "sync_feed_marks"`);
    await queryRunner.query(`DROP TABLE "sync_devices"`);
    for (const t of ['households', 'visits']) {
      await queryRunner.query(`DROP INDEX "public"."idx_${t}_region_code"`);
      await queryRunner.query(`CREATE INDEX "idx_${t}_region_code" ON "${t}"  ("region_code") `);
    }
    await queryRunner.query(`DROP INDEX "public"."idx_sync_changes_region_xid_seq"`);
    await queryRunner.query(`CREATE INDEX "idx_sync_changes_region_code" ON "sync_changes"  ("region_code") `);
    // Only the rows of the records' own regions were there before.
    await queryRunner.query(`DELETE FROM "sync_changes" c WHERE length(c."region_code") < (SELECT max(length(o."region_code")) FROM "sync_changes" o WHERE o."xid" = c."xid" AND o."entity_id" = c."entity_id")`);
  }
}
