import { MigrationInterface, QueryRunner } from 'typeorm';

/** [constraint, table, column, referenced table, referenced column]. */
const KEYS: Array<[string, string, string, string, string]> = [
  ['FK_d3ea9a011c7e498d0db7d75d972', 'rights_cases', 'region_code', 'regions', 'code'],
  ['FK_9d548bdad56b0c0752414d83f41', 'rights_cases', 'laborer_id', 'laborers', 'id'],
  ['FK_af98cc74fcea45b7986c3e3344f', 'rights_cases', 'employer_id', 'employers', 'id'],
  ['FK_54e14df3817461c1db0af9519e0', 'rights_cases', 'handler_id', 'accounts', 'id'],
  ['FK_f70883f17701212c18e436101d4', 'rights_cases', 'reporter_account_id', 'accounts', 'id'],
  ['FK_a1b0632bbd0d7d545077ca3b81d', 'rights_cases', 'created_by', 'accounts', 'id'],
  ['FK_cdd55af7c6bfcaed64296b9f6e8', 'rights_case_events', 'case_id', 'rights_cases', 'id'],
  ['FK_f3f960b9d6b7f7717c15fbd573e', 'rights_case_events', 'actor_id', 'accounts', 'id'],
  ['FK_fe4245e55f690b95e5e0bc44439', 'rights_alerts', 'case_id', 'rights_cases', 'id'],
  ['FK_ea0a16fa9b2cb6859ea11481d47', 'rights_alerts', 'account_id', 'accounts', 'id'],
];

/**
 * Foreign keys of the labor-rights tables: a case's village, laborer, employer, handler, reporter and creator,
 * a history entry's case and actor, an alert's case and account must exist (the service checks each before it
 * writes; the database now refuses a dangling one whatever writes it). The partner region is not a key: the
 * cooperation pairs it comes from name regions the region table need not hold.
 */
export class RightsForeignKeys1796900000000 implements MigrationInterface {
  name = 'RightsForeignKeys1796900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, table, column, refTable, refColumn] of KEYS) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${name}" FOREIGN KEY ("${column}") REFERENCES "${refTable}"("${refColumn}") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name, table] of [...KEYS].reverse()) await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${name}"`);
  }
}
