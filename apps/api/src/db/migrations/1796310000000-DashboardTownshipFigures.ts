import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard's counts rolled up per township as well (the fold keeps both),
 * so a province's view sums about 1,300 township rows instead of 16,000
 * village rows; the village rows stay for a township's villages and for the
 * per-village conditions (officers, newest visit). Backfilled from the village rows.
 */
const COUNTS = [
  'laborers', 'able_to_work', 'employed', 'employed_local', 'employed_in_province', 'employed_out_of_province', 'employed_workshop',
  'employed_public_welfare', 'unemployed', 'hard_to_employ', 'hard_to_employ_employed', 'willing_to_work_away', 'returnees', 'seekers',
  'seekers_311', 'referrals', 'interested', 'applied', 'hired',
];

export class DashboardTownshipFigures1796310000000 implements MigrationInterface {
  name = 'DashboardTownshipFigures1796310000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "dashboard_township_figures" (
      "township_code" varchar(9) COLLATE "C" PRIMARY KEY,
      ${COUNTS.map((c) => `"${c}" integer NOT NULL DEFAULT 0`).join(', ')})`);
    // The fold writes both tables in one transaction; hold it off while copying.
    await q.query(`LOCK TABLE dashboard_village_figures IN SHARE MODE`);
    await q.query(`INSERT INTO dashboard_township_figures (township_code, ${COUNTS.join(', ')})
      SELECT left(village_code, 9), ${COUNTS.map((c) => `sum(${c})`).join(', ')} FROM dashboard_village_figures GROUP BY 1`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "dashboard_township_figures"`);
  }
}
