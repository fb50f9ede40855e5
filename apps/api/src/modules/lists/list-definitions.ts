import { EMPLOYED_STATUSES, type DashboardFigureKey } from '@jobbridge/shared';

/**
 * The six real-name lists (六个清单). Each is a condition on the laborer
 * (alias `l`) of the caller's area; the area itself is added by
 * `PersonalData.select(Laborer)`. Adding a list is adding one entry here.
 *
 * Parameter names must be unique across entries: the overview counts every
 * list in one query.
 */
export interface ListDefinition {
  /** URL key: `/api/v1/lists/{key}`. */
  readonly key: string;
  /** Chinese title, also the sheet name and the start of the export's file name. */
  readonly title: string;
  /** SQL condition on the laborer alias `l`. */
  readonly condition: string;
  readonly params?: Readonly<Record<string, unknown>>;
  /**
   * The dashboard figure that counts exactly the people of `condition` (its aggregates, migration
   * DashboardAggregates, use the same condition): the list's total in an area comes from there, not from a
   * count over the area's laborers. Absent: the total is a capped count (`ListsService.countCap`).
   */
  readonly figure?: DashboardFigureKey;
}

export const LIST_DEFINITIONS: readonly ListDefinition[] = [
  { key: 'all', title: '劳动力实名清单', condition: 'TRUE', figure: 'laborers' },
  { key: 'hard-to-employ', title: '困难劳动力实名清单', condition: 'l.is_hard_to_employ', figure: 'hardToEmploy' },
  {
    key: 'hard-to-employ-employed',
    title: '困难劳动力就业人员清单',
    condition: 'l.is_hard_to_employ AND l.employment_status IN (:...list_employed_statuses)',
    params: { list_employed_statuses: [...EMPLOYED_STATUSES] },
    figure: 'hardToEmployEmployed',
  },
  {
    key: 'unemployed',
    title: '失业人员清单',
    condition: 'l.employment_status = :list_unemployed_status',
    params: { list_unemployed_status: 'unemployed' },
    figure: 'unemployed',
  },
  {
    key: 'willing-to-work-away',
    title: '有意愿外出务工人员清单',
    condition: 'l.work_scopes ?| CAST(:list_away_scopes AS text[]) AND l.employment_status <> :list_unable_status',
    params: { list_away_scopes: ['in_province', 'out_of_province'], list_unable_status: 'unable' },
    figure: 'willingToWorkAway',
  },
  {
    key: 'returnees',
    title: '返乡回流人员实名清单',
    condition: 'l.migration_status = :list_returned_status',
    params: { list_returned_status: 'returned' },
    figure: 'returnees',
  },
];

const BY_KEY = new Map(LIST_DEFINITIONS.map((d) => [d.key, d]));

/** The list with this key, or undefined. */
export function listDefinition(key: string): ListDefinition | undefined {
  return BY_KEY.get(key);
}
