import { MigrationInterface, QueryRunner } from 'typeorm';

export class ChatGroups1796224000000 implements MigrationInterface {
  name = 'ChatGroups1796224000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "chat_groups" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "region_code" character varying(12) COLLATE "C" NOT NULL, "kind" character varying(16) NOT NULL, "name" character varying(40) NOT NULL, "announcement_only" boolean NOT NULL DEFAULT false, "last_seq" bigint NOT NULL DEFAULT '0', "last_event_at" TIMESTAMP WITH TIME ZONE, "pinned_seq" bigint, "invite_code_hash" character varying(64), "invite_expires_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_99f0cb8163569cd32e8a16cbc9f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_chat_groups_invite_code" ON "chat_groups"  ("invite_code_hash") `);
    await queryRunner.query(`CREATE INDEX "idx_chat_groups_region" ON "chat_groups"  ("region_code") `);
    await queryRunner.query(`CREATE TABLE "chat_members" ("group_id" uuid NOT NULL, "account_id" uuid NOT NULL, "role" character varying(8) NOT NULL DEFAULT 'member', "display_name" character varying(50) NOT NULL, "muted" boolean NOT NULL DEFAULT false, "last_read_seq" bigint NOT NULL DEFAULT '0', "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "removed_at" TIMESTAMP WITH TIME ZONE, "added_by" uuid, CONSTRAINT "PK_4ad65c7deaceb84b0a1bae56af9" PRIMARY KEY ("group_id", "account_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_chat_members_account" ON "chat_members"  ("account_id") `);
    await queryRunner.query(`CREATE TABLE "chat_events" ("group_id" uuid NOT NULL, "seq" bigint NOT NULL, "kind" character varying(8) NOT NULL, "sender_id" uuid, "sender_name" character varying(50), "client_id" character varying(64), "text" character varying(2000), "job" jsonb, "target_seq" bigint, "retracted" character varying(8), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_937aa20fe842f1c1f6ef2f3210d" PRIMARY KEY ("group_id", "seq"))`);
    await queryRunner.query(`CREATE INDEX "idx_chat_events_sender_at" ON "chat_events"  ("sender_id", "group_id", "created_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_chat_events_client" ON "chat_events"  ("sender_id", "client_id") WHERE client_id IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "chat_groups" ADD CONSTRAINT "FK_efa699c309d7ac997a3ab322c02" FOREIGN KEY ("region_code") REFERENCES "regions"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "chat_members" ADD CONSTRAINT "FK_02e583a6926219c0169297640f6" FOREIGN KEY ("group_id") REFERENCES "chat_groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "chat_members" ADD CONSTRAINT "FK_e99c6c027dfd34dfa857ba54c4b" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "chat_events" ADD CONSTRAINT "FK_b586bac5900f21d691dcf45f4da" FOREIGN KEY ("group_id") REFERENCES "chat_groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "chat_events" DROP CONSTRAINT "FK_b586bac5900f21d691dcf45f4da"`);
    await queryRunner.query(`ALTER TABLE "chat_members" DROP CONSTRAINT "FK_e99c6c027dfd34dfa857ba54c4b"`);
    await queryRunner.query(`ALTER TABLE "chat_members" DROP CONSTRAINT "FK_02e583a6926219c0169297640f6"`);
    await queryRunner.query(`ALTER TABLE "chat_groups" DROP CONSTRAINT "FK_efa699c309d7ac997a3ab322c02"`);
    await queryRunner.query(`DROP INDEX "public"."uq_chat_events_client"`);
    await queryRunner.query(`DROP INDEX "public"."idx_chat_events_sender_at"`);
    await queryRunner.query(`DROP TABLE "chat_events"`);
    await queryRunner.query(`DROP INDEX "public"."idx_chat_members_account"`);
    await queryRunner.query(`DROP TABLE "chat_members"`);
    await queryRunner.query(`DROP INDEX "public"."idx_chat_groups_region"`);
    await queryRunner.query(`DROP INDEX "public"."uq_chat_groups_invite_code"`);
    await queryRunner.query(`DROP TABLE "chat_groups"`);
  }
}
