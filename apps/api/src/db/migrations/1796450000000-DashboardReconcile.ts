import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where the dashboard's scheduled reconcile (DashboardService.reconcile, job
 * `dashboard-reconcile`) goes on from: the last township it checked ('' =
 * from the start). One row.
 */
export class DashboardReconcile1796450000000 implements MigrationInterface {
  name = 'DashboardReconcile1796450000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "dashboard_reconcile" ("id" smallint PRIMARY KEY DEFAULT 1 CHECK ("id" = 1), "last_township" varchar(9) COLLATE "C" NOT NULL DEFAULT '', "at" timestamptz)`);
    await q.query(`INSERT INTO "dashboard_reconcile" DEFAULT VALUES`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "dashboard_reconcile"`);
  }
}
