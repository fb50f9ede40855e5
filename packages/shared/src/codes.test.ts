import {
  DISABILITY_GRADES,
  DISABILITY_GRADE_LABELS,
  DISABILITY_TYPES,
  EDUCATION_LEVELS,
  EMPLOYED_STATUSES,
  EMPLOYMENT_STATUSES,
  EMPLOYMENT_STATUS_LABELS,
  HEALTH_STATUSES,
  JOB_CATEGORIES,
  JOB_CATEGORY_GROUPS,
  JOB_CATEGORY_LABELS,
  MIGRATION_STATUSES,
  POVERTY_STATUSES,
  POVERTY_STATUS_LABELS,
  RELATED_JOB_GROUPS,
  RELATIONS_TO_HEAD,
  RETURN_REASONS,
  SERVICE_NEEDS,
  SEXES,
  TRAINING_TYPES,
  WORK_SCOPES,
  codesOf,
  isDisabilityGradeCode,
  isEmployedStatus,
  isJobCategoryCode,
  isJobCategoryGroupCode,
  isPovertyStatusCode,
  jobCategoryGroup,
} from './codes';
import type { CodeEntry } from './codes';

const LISTS: [string, readonly CodeEntry<string | number>[]][] = [
  ['SEXES', SEXES],
  ['POVERTY_STATUSES', POVERTY_STATUSES],
  ['RELATIONS_TO_HEAD', RELATIONS_TO_HEAD],
  ['EDUCATION_LEVELS', EDUCATION_LEVELS],
  ['HEALTH_STATUSES', HEALTH_STATUSES],
  ['DISABILITY_TYPES', DISABILITY_TYPES],
  ['DISABILITY_GRADES', DISABILITY_GRADES],
  ['EMPLOYMENT_STATUSES', EMPLOYMENT_STATUSES],
  ['MIGRATION_STATUSES', MIGRATION_STATUSES],
  ['RETURN_REASONS', RETURN_REASONS],
  ['SERVICE_NEEDS', SERVICE_NEEDS],
  ['WORK_SCOPES', WORK_SCOPES],
  ['TRAINING_TYPES', TRAINING_TYPES],
  ['JOB_CATEGORY_GROUPS', JOB_CATEGORY_GROUPS],
  ['JOB_CATEGORIES', JOB_CATEGORIES],
];

describe('code lists', () => {
  it.each(LISTS)('%s has unique codes and unique, non-empty labels', (_, list) => {
    const codes = codesOf(list);
    expect(new Set(codes).size).toBe(codes.length);
    const labels = list.map((e) => e.label);
    for (const l of labels) expect(l.trim()).not.toBe('');
    // Spreadsheet imports map labels back to codes, so a label must name one code only.
    expect(new Set(labels).size).toBe(labels.length);
  });

  it.each(LISTS.filter(([name]) => name !== 'DISABILITY_GRADES'))('%s codes are lower_snake (dotted for job categories)', (_, list) => {
    for (const c of codesOf(list)) expect(c).toMatch(/^[a-z][a-z_]*(\.[a-z][a-z_]*)?$/);
  });

  it('label maps and guards agree with their lists', () => {
    expect(POVERTY_STATUS_LABELS.monitored).toBe('监测对象');
    expect(EMPLOYMENT_STATUS_LABELS.public_welfare).toBe('公益性岗位');
    expect(DISABILITY_GRADE_LABELS[1]).toBe('一级');
    expect(JOB_CATEGORY_LABELS['domestic.maternity']).toBe('月嫂/母婴护理');
    expect(isPovertyStatusCode('lifted')).toBe(true);
    expect(isPovertyStatusCode('Lifted')).toBe(false);
    expect(isPovertyStatusCode('toString')).toBe(false);
    expect(isPovertyStatusCode(null)).toBe(false);
    expect(isDisabilityGradeCode(4)).toBe(true);
    expect(isDisabilityGradeCode('4')).toBe(false);
    expect(isDisabilityGradeCode(5)).toBe(false);
  });

  it('the first seven employment statuses count as employed', () => {
    expect(EMPLOYED_STATUSES).toEqual(codesOf(EMPLOYMENT_STATUSES).slice(0, 7));
    expect(isEmployedStatus('workshop')).toBe(true);
    expect(isEmployedStatus('unemployed')).toBe(false);
    expect(isEmployedStatus('in_school')).toBe(false);
    expect(isEmployedStatus(undefined)).toBe(false);
  });
});

describe('job categories', () => {
  it('every category lies in an existing group and its code starts with that group', () => {
    for (const c of JOB_CATEGORIES) {
      expect(isJobCategoryGroupCode(c.group)).toBe(true);
      expect(c.code.startsWith(`${c.group}.`)).toBe(true);
      expect(jobCategoryGroup(c.code)).toBe(c.group);
    }
  });

  it('every group has 3 to 8 categories', () => {
    for (const g of JOB_CATEGORY_GROUPS) {
      const n = JOB_CATEGORIES.filter((c) => c.group === g.code).length;
      expect([g.code, n >= 3 && n <= 8]).toEqual([g.code, true]);
    }
  });

  it('groups are not categories', () => {
    expect(isJobCategoryCode('manufacturing')).toBe(false);
    expect(isJobCategoryCode('manufacturing.electronics_assembly')).toBe(true);
    expect(jobCategoryGroup('manufacturing')).toBeNull();
    expect(jobCategoryGroup(42)).toBeNull();
  });

  it('relatedness is between distinct existing groups and symmetric', () => {
    expect(Object.keys(RELATED_JOB_GROUPS).sort()).toEqual(codesOf(JOB_CATEGORY_GROUPS).sort());
    for (const [g, related] of Object.entries(RELATED_JOB_GROUPS)) {
      for (const r of related) {
        expect(r).not.toBe(g);
        expect(isJobCategoryGroupCode(r)).toBe(true);
        expect([g, r, RELATED_JOB_GROUPS[r].includes(g as never)]).toEqual([g, r, true]);
      }
    }
  });
});
