import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard's `groups` and `groupMembers` from the group chats
 * (chat_groups, chat_members; a current member has removed_at NULL): per
 * region of the group (a village's, or a township's own groups, which count
 * for the township and above, never for one of its villages), the groups
 * and their current memberships (one person in two groups counts twice).
 * Triggers on both tables append deltas like the others:
 * - a group created: +1 group (its creator's membership comes with the
 *   members insert); a group moving region (never done by the app) takes its
 *   current members along; a group deleted: -1 and its current members,
 *   counted before the delete (a BEFORE row trigger: the cascade removes
 *   the members after it, whose own trigger then finds no group);
 * - members inserted or deleted (statement level, transition tables); a
 *   member removed or back (removed_at crossing NULL: a row trigger, so
 *   that reading a message, which updates the member row, adds nothing).
 * Backfilled from the chat tables as deltas; `dashboard_truth()` counts
 * them too.
 *
 * This file is frozen once on main: its SQL is written out here.
 */

const COUNTS = [
  'laborers', 'able_to_work', 'employed', 'employed_local', 'employed_in_province', 'employed_out_of_province', 'employed_workshop',
  'employed_public_welfare', 'unemployed', 'hard_to_employ', 'hard_to_employ_employed', 'willing_to_work_away', 'returnees', 'seekers',
  'seekers_311', 'referrals', 'interested', 'applied', 'hired', 'officers',
];
const EMPLOYED = `('local','in_province','out_of_province','flexible','public_welfare','workshop','self_employed')`;
const SEEKER = `r.employment_status NOT IN ('unable','in_school') AND (r.employment_status NOT IN ${EMPLOYED} OR r.service_needs ? 'job_referral')`;
const LABORER_FIGURES: Array<[string, string]> = [
  ['laborers', 'TRUE'],
  ['able_to_work', `r.employment_status NOT IN ('unable','in_school')`],
  ['employed', `r.employment_status IN ${EMPLOYED}`],
  ['employed_local', `r.employment_status = 'local'`],
  ['employed_in_province', `r.employment_status = 'in_province'`],
  ['employed_out_of_province', `r.employment_status = 'out_of_province'`],
  ['employed_workshop', `r.employment_status = 'workshop'`],
  ['employed_public_welfare', `r.employment_status = 'public_welfare'`],
  ['unemployed', `r.employment_status = 'unemployed'`],
  ['hard_to_employ', 'r.is_hard_to_employ'],
  ['hard_to_employ_employed', `r.is_hard_to_employ AND r.employment_status IN ${EMPLOYED}`],
  ['willing_to_work_away', `r.work_scopes ?| ARRAY['in_province','out_of_province'] AND r.employment_status <> 'unable'`],
  ['returnees', `r.migration_status = 'returned'`],
  ['seekers', SEEKER],
];
const SEEKER_311 = `${SEEKER} AND (SELECT count(*) FROM recommendations x WHERE x.laborer_id = r.id) >= 3`;
const RECOMMENDATION_FIGURES: Array<[string, string]> = [
  ['referrals', 'TRUE'],
  ['interested', `r.status = 'interested'`],
  ['applied', `r.status = 'applied'`],
  ['hired', `r.status = 'hired'`],
];
const OFFICER = `r.role = 'officer' AND NOT r.is_disabled AND length(r.region_code) = 12`;
const zeros = (n: number) => Array.from({ length: n }, () => '0').join(', ');

/** As in DashboardCoverageRollup, plus `groups` and `group_members` (the delta table's new last columns). */
function truthFn(groups: boolean): string {
  const g = (x: string) => (groups ? `, ${x}` : '');
  return `CREATE OR REPLACE FUNCTION dashboard_truth() RETURNS SETOF dashboard_deltas LANGUAGE sql STABLE AS $fn$
  WITH parts AS (
    SELECT r.region_code AS village_code, ${LABORER_FIGURES.map(([c, cond]) => `count(*) FILTER (WHERE ${cond})::int AS ${c}`).join(', ')},
      count(*) FILTER (WHERE ${SEEKER_311})::int AS seekers_311,
      ${RECOMMENDATION_FIGURES.map(([c]) => `0 AS ${c}`).join(', ')}, 0 AS officers, NULL::timestamptz AS last_visit_at, 0 AS villages${g('0 AS groups, 0 AS group_members')}
    FROM laborers r GROUP BY r.region_code
    UNION ALL
    SELECT r.region_code, ${zeros(LABORER_FIGURES.length + 1)}, ${RECOMMENDATION_FIGURES.map(([, cond]) => `count(*) FILTER (WHERE ${cond})::int`).join(', ')}, 0, NULL, 0${g('0, 0')}
    FROM recommendations r GROUP BY r.region_code
    UNION ALL
    SELECT r.region_code, ${zeros(LABORER_FIGURES.length + 1 + RECOMMENDATION_FIGURES.length)}, count(*)::int, NULL, 0${g('0, 0')}
    FROM accounts r WHERE ${OFFICER} GROUP BY r.region_code
    UNION ALL
    SELECT r.region_code, ${zeros(LABORER_FIGURES.length + 1 + RECOMMENDATION_FIGURES.length + 1)}, max(r.visited_at), 0${g('0, 0')}
    FROM visits r GROUP BY r.region_code
    UNION ALL
    SELECT r.code, ${zeros(LABORER_FIGURES.length + 1 + RECOMMENDATION_FIGURES.length + 1)}, NULL, 1${g('0, 0')}
    FROM regions r WHERE r.level = 'village'${
      groups
        ? `
    UNION ALL
    SELECT r.region_code, ${zeros(LABORER_FIGURES.length + 1 + RECOMMENDATION_FIGURES.length + 1)}, NULL, 0, 1,
      (SELECT count(*)::int FROM chat_members m WHERE m.group_id = r.id AND m.removed_at IS NULL)
    FROM chat_groups r`
        : ''
    }
  )
  SELECT 0::bigint AS id, village_code, NULL::date AS due_on, 0 AS followups, ${COUNTS.map((c) => `sum(${c})::int AS ${c}`).join(', ')},
    max(last_visit_at) AS last_visit_at, sum(villages)::int AS villages${g('sum(groups)::int AS groups, sum(group_members)::int AS group_members')}
  FROM parts GROUP BY village_code
  UNION ALL
  SELECT 0::bigint, r.region_code, r.due_on, count(*)::int, ${zeros(COUNTS.length)}, NULL, 0${g('0, 0')}
  FROM followups r WHERE r.status = 'due' GROUP BY r.region_code, r.due_on
$fn$`;
}

const CURRENT_MEMBERS = (group: string) => `(SELECT count(*)::int FROM chat_members x WHERE x.group_id = ${group} AND x.removed_at IS NULL)`;

const GROUPS_FN = `CREATE FUNCTION dashboard_chat_groups_delta() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO dashboard_deltas (village_code, groups) SELECT n.region_code, count(*)::int FROM new_table n GROUP BY n.region_code;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO dashboard_deltas (village_code, groups, group_members) VALUES (OLD.region_code, -1, -${CURRENT_MEMBERS('OLD.id')});
    RETURN OLD;
  ELSE
    INSERT INTO dashboard_deltas (village_code, groups, group_members)
    VALUES (OLD.region_code, -1, -${CURRENT_MEMBERS('NEW.id')}), (NEW.region_code, 1, ${CURRENT_MEMBERS('NEW.id')});
  END IF;
  RETURN NULL;
END $fn$`;

const MEMBERS_FN = `CREATE FUNCTION dashboard_chat_members_delta() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO dashboard_deltas (village_code, group_members)
    SELECT g.region_code, count(*)::int FROM new_table n JOIN chat_groups g ON g.id = n.group_id WHERE n.removed_at IS NULL GROUP BY g.region_code;
  ELSIF TG_OP = 'DELETE' THEN
    -- Members of a group being deleted find no group here: the group's own trigger counted them.
    INSERT INTO dashboard_deltas (village_code, group_members)
    SELECT g.region_code, -count(*)::int FROM old_table o JOIN chat_groups g ON g.id = o.group_id WHERE o.removed_at IS NULL GROUP BY g.region_code;
  ELSE
    INSERT INTO dashboard_deltas (village_code, group_members)
    SELECT g.region_code, CASE WHEN NEW.removed_at IS NULL THEN 1 ELSE -1 END FROM chat_groups g WHERE g.id = NEW.group_id;
  END IF;
  RETURN NULL;
END $fn$`;

const ADDED = ['dashboard_deltas', 'dashboard_village_figures', 'dashboard_township_figures'];

export class DashboardChatGroups1796440000000 implements MigrationInterface {
  name = 'DashboardChatGroups1796440000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`LOCK TABLE chat_groups, chat_members IN SHARE MODE`);
    for (const t of ADDED) await q.query(`ALTER TABLE "${t}" ADD "groups" integer NOT NULL DEFAULT 0, ADD "group_members" integer NOT NULL DEFAULT 0`);
    await q.query(truthFn(true));
    await q.query(GROUPS_FN);
    await q.query(MEMBERS_FN);
    await q.query(`CREATE TRIGGER "chat_groups_dashboard_ins" AFTER INSERT ON "chat_groups" REFERENCING NEW TABLE AS new_table FOR EACH STATEMENT EXECUTE FUNCTION dashboard_chat_groups_delta()`);
    // Row level with a column list and WHEN: a message updates its group's row (last_seq) and must add nothing.
    await q.query(`CREATE TRIGGER "chat_groups_dashboard_upd" AFTER UPDATE OF region_code ON "chat_groups" FOR EACH ROW WHEN (OLD.region_code IS DISTINCT FROM NEW.region_code) EXECUTE FUNCTION dashboard_chat_groups_delta()`);
    await q.query(`CREATE TRIGGER "chat_groups_dashboard_del" BEFORE DELETE ON "chat_groups" FOR EACH ROW EXECUTE FUNCTION dashboard_chat_groups_delta()`);
    await q.query(`CREATE TRIGGER "chat_members_dashboard_ins" AFTER INSERT ON "chat_members" REFERENCING NEW TABLE AS new_table FOR EACH STATEMENT EXECUTE FUNCTION dashboard_chat_members_delta()`);
    await q.query(`CREATE TRIGGER "chat_members_dashboard_del" AFTER DELETE ON "chat_members" REFERENCING OLD TABLE AS old_table FOR EACH STATEMENT EXECUTE FUNCTION dashboard_chat_members_delta()`);
    // Reading a message updates the member row (last_read_seq): only removed_at crossing NULL counts.
    await q.query(`CREATE TRIGGER "chat_members_dashboard_upd" AFTER UPDATE OF removed_at ON "chat_members" FOR EACH ROW
      WHEN ((OLD.removed_at IS NULL) IS DISTINCT FROM (NEW.removed_at IS NULL)) EXECUTE FUNCTION dashboard_chat_members_delta()`);
    // Backfill as deltas (the fold moves them in).
    await q.query(`INSERT INTO dashboard_deltas (village_code, groups, group_members)
      SELECT g.region_code, count(*)::int, sum(${CURRENT_MEMBERS('g.id')})::int FROM chat_groups g GROUP BY g.region_code`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const [t, op] of [['chat_groups', 'ins'], ['chat_groups', 'upd'], ['chat_groups', 'del'], ['chat_members', 'ins'], ['chat_members', 'del'], ['chat_members', 'upd']])
      await q.query(`DROP TRIGGER "${t}_dashboard_${op}" ON "${t}"`);
    await q.query(`DROP FUNCTION dashboard_chat_groups_delta()`);
    await q.query(`DROP FUNCTION dashboard_chat_members_delta()`);
    await q.query(`DROP FUNCTION dashboard_truth()`);
    for (const t of ADDED) await q.query(`ALTER TABLE "${t}" DROP COLUMN "groups", DROP COLUMN "group_members"`);
    await q.query(truthFn(false));
  }
}
