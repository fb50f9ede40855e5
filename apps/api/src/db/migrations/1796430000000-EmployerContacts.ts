import { MigrationInterface, QueryRunner } from 'typeorm';

export class EmployerContacts1796430000000 implements MigrationInterface {
  name = 'EmployerContacts1796430000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "employer_contacts" ("account_id" uuid NOT NULL, "employer_id" uuid NOT NULL, "invite_id" uuid NOT NULL, "linked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0760a1fe679d684a26f741ffe91" PRIMARY KEY ("account_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_employer_contacts_employer" ON "employer_contacts"  ("employer_id") `);
    await queryRunner.query(`CREATE TABLE "employer_invites" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code_hash" character varying(64) NOT NULL, "employer_id" uuid NOT NULL, "contact_name" character varying(50), "created_by" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_by" uuid, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6e7a867e950cd321eebd326aac2" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_employer_invites_employer" ON "employer_invites"  ("employer_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_employer_invites_hash" ON "employer_invites"  ("code_hash") `);
    await queryRunner.query(`CREATE TABLE "posting_proposals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "employer_id" uuid NOT NULL, "submitted_by" uuid NOT NULL, "fields" jsonb NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "reason" character varying(200), "posting_id" uuid, "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_99e34542852b1473bacde7acc6f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_posting_proposals_status" ON "posting_proposals"  ("status", "created_at") `);
    await queryRunner.query(`CREATE INDEX "idx_posting_proposals_employer" ON "posting_proposals"  ("employer_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "recommendations" ADD "share_contact" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "recommendations" ADD "interested_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "recommendations" ADD "via_chat_group_id" uuid`);
    await queryRunner.query(`ALTER TABLE "recommendations" ADD "via_chat_seq" bigint`);
    await queryRunner.query(`CREATE INDEX "idx_recommendations_via_chat_group" ON "recommendations"  ("via_chat_group_id") WHERE via_chat_group_id IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "employer_contacts" ADD CONSTRAINT "FK_0760a1fe679d684a26f741ffe91" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "employer_contacts" ADD CONSTRAINT "FK_8059cd04de7c6f56b863128edc5" FOREIGN KEY ("employer_id") REFERENCES "employers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "employer_invites" ADD CONSTRAINT "FK_4334a58e6e3b7fc62ab9a792103" FOREIGN KEY ("employer_id") REFERENCES "employers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "posting_proposals" ADD CONSTRAINT "FK_50324a2f525f6c7346a5e6a1983" FOREIGN KEY ("employer_id") REFERENCES "employers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "posting_proposals" ADD CONSTRAINT "FK_edbf0c3668b665fd58ee52f83b8" FOREIGN KEY ("posting_id") REFERENCES "postings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "posting_proposals" DROP CONSTRAINT "FK_edbf0c3668b665fd58ee52f83b8"`);
    await queryRunner.query(`ALTER TABLE "posting_proposals" DROP CONSTRAINT "FK_50324a2f525f6c7346a5e6a1983"`);
    await queryRunner.query(`ALTER TABLE "employer_invites" DROP CONSTRAINT "FK_4334a58e6e3b7fc62ab9a792103"`);
    await queryRunner.query(`ALTER TABLE "employer_contacts" DROP CONSTRAINT "FK_8059cd04de7c6f56b863128edc5"`);
    await queryRunner.query(`ALTER TABLE "employer_contacts" DROP CONSTRAINT "FK_0760a1fe679d684a26f741ffe91"`);
    await queryRunner.query(`DROP INDEX "public"."idx_recommendations_via_chat_group"`);
    await queryRunner.query(`ALTER TABLE "recommendations" DROP COLUMN "via_chat_seq"`);
    await queryRunner.query(`ALTER TABLE "recommendations" DROP COLUMN "via_chat_group_id"`);
    await queryRunner.query(`ALTER TABLE "recommendations" DROP COLUMN "interested_at"`);
    await queryRunner.query(`ALTER TABLE "recommendations" DROP COLUMN "share_contact"`);
    await queryRunner.query(`DROP INDEX "public"."idx_posting_proposals_employer"`);
    await queryRunner.query(`DROP INDEX "public"."idx_posting_proposals_status"`);
    await queryRunner.query(`DROP TABLE "posting_proposals"`);
    await queryRunner.query(`DROP INDEX "public"."uq_employer_invites_hash"`);
    await queryRunner.query(`DROP INDEX "public"."idx_employer_invites_employer"`);
    await queryRunner.query(`DROP TABLE "employer_invites"`);
    await queryRunner.query(`DROP INDEX "public"."idx_employer_contacts_employer"`);
    await queryRunner.query(`DROP TABLE "employer_contacts"`);
  }
}
