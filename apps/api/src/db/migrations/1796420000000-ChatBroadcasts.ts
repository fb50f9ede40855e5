import { MigrationInterface, QueryRunner } from 'typeorm';

export class ChatBroadcasts1796420000000 implements MigrationInterface {
  name = 'ChatBroadcasts1796420000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "chat_broadcasts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "sender_id" uuid NOT NULL, "client_id" character varying(64) NOT NULL, "posting_id" uuid NOT NULL, "job" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ed30023917c2ab623d793d2986a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_chat_broadcasts_sender_at" ON "chat_broadcasts"  ("sender_id", "created_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_chat_broadcasts_client" ON "chat_broadcasts"  ("sender_id", "client_id") `);
    await queryRunner.query(`CREATE TABLE "chat_broadcast_groups" ("broadcast_id" uuid NOT NULL, "group_id" uuid NOT NULL, "seq" bigint NOT NULL, CONSTRAINT "PK_19e42508ad37aca02481880e3ac" PRIMARY KEY ("broadcast_id", "group_id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_chat_broadcast_groups_event" ON "chat_broadcast_groups"  ("group_id", "seq") `);
    await queryRunner.query(`ALTER TABLE "chat_members" ADD "delivered_seq" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "chat_events" ADD "mentions" uuid array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "chat_broadcast_groups" ADD CONSTRAINT "FK_f178c8c686f125dab1e690d7ffc" FOREIGN KEY ("broadcast_id") REFERENCES "chat_broadcasts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "chat_broadcast_groups" ADD CONSTRAINT "FK_7e8ec88aba40f0f968c5f012523" FOREIGN KEY ("group_id") REFERENCES "chat_groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "chat_broadcast_groups" DROP CONSTRAINT "FK_7e8ec88aba40f0f968c5f012523"`);
    await queryRunner.query(`ALTER TABLE "chat_broadcast_groups" DROP CONSTRAINT "FK_f178c8c686f125dab1e690d7ffc"`);
    await queryRunner.query(`ALTER TABLE "chat_events" DROP COLUMN "mentions"`);
    await queryRunner.query(`ALTER TABLE "chat_members" DROP COLUMN "delivered_seq"`);
    await queryRunner.query(`DROP INDEX "public"."uq_chat_broadcast_groups_event"`);
    await queryRunner.query(`DROP TABLE "chat_broadcast_groups"`);
    await queryRunner.query(`DROP INDEX "public"."uq_chat_broadcasts_client"`);
    await queryRunner.query(`DROP INDEX "public"."idx_chat_broadcasts_sender_at"`);
    await queryRunner.query(`DROP TABLE "chat_broadcasts"`);
  }
}
