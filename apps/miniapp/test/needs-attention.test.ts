import type { HouseholdRecord, LaborerRecord } from '../src/services/outbox';
import { isRecentlyChanged, selectNeedsAttention, wantsWorkReason } from '../src/services/needs-attention';

const NOW = new Date('2025-06-01T04:00:00Z');
const VILLAGE = '451425100201';
const OTHER = '451425100202';
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

const hh = (id: string, regionCode = VILLAGE): HouseholdRecord => ({ id, regionCode, address: '那料屯', headName: `户${id}`, povertyStatus: 'ordinary', version: 1 });
const lab = (id: string, patch: Partial<LaborerRecord> = {}): LaborerRecord => ({
  id,
  householdId: 'h1',
  name: id,
  version: 1,
  employmentStatus: 'local',
  migrationStatus: 'none',
  serviceNeeds: [],
  wantedJobCategories: [],
  workScopes: [],
  updatedAt: daysAgo(100),
  ...patch,
});

describe('需要关注', () => {
  it('lists every unemployed laborer, those changed in the last 30 days (or still on the phone) first and marked', () => {
    const laborers = [
      lab('old', { employmentStatus: 'unemployed', updatedAt: daysAgo(90) }),
      lab('new', { employmentStatus: 'unemployed', updatedAt: daysAgo(3) }),
      lab('edge', { employmentStatus: 'unemployed', updatedAt: daysAgo(30) }),
      lab('pending', { employmentStatus: 'unemployed', updatedAt: undefined, isPending: true }),
      lab('working', { employmentStatus: 'local', updatedAt: daysAgo(1) }),
      lab('unable', { employmentStatus: 'unable' }),
    ];
    const { unemployed } = selectNeedsAttention(laborers, [hh('h1')], NOW);
    expect(unemployed.map((r) => [r.laborer.id, r.isRecent])).toEqual([
      ['pending', true],
      ['new', true],
      ['edge', true],
      ['old', false],
    ]);
    expect(unemployed[0].household?.headName).toBe('户h1');
    expect(unemployed[1].reason).toBe('未就业 · 近30天内有登记或修改');
    expect(unemployed[3].reason).toBe('未就业（有劳动能力）');
  });

  it('wants work: 岗位推荐 asked for, or job categories or work scopes given; other needs alone do not count', () => {
    const laborers = [
      lab('referral', { serviceNeeds: ['job_referral', 'skills_training'] }),
      lab('jobs', { wantedJobCategories: ['manufacturing.welder', 'construction.mason'] as never }),
      lab('scope', { workScopes: ['county'] as never }),
      lab('training-only', { serviceNeeds: ['skills_training'] }),
      lab('none', { serviceNeeds: ['none'] }),
      lab('missing', { serviceNeeds: undefined, wantedJobCategories: undefined, workScopes: undefined }),
    ];
    const { wantsWork } = selectNeedsAttention(laborers, [hh('h1')], NOW);
    expect(wantsWork.map((r) => r.laborer.id).sort()).toEqual(['jobs', 'referral', 'scope']);
    expect(wantsWorkReason(laborers[0])).toBe('需要岗位推荐');
    expect(wantsWorkReason(laborers[1])).toBe('意向工种 2 项');
    expect(wantsWorkReason(laborers[3])).toBeNull();
  });

  it('returnees: migration status returned, latest return first; one laborer can be on several lists', () => {
    const laborers = [
      lab('r1', { migrationStatus: 'returned', returnedAt: '2024-01-10' }),
      lab('r2', { migrationStatus: 'returned', returnedAt: '2025-02-01', employmentStatus: 'unemployed', serviceNeeds: ['job_referral'] }),
      lab('away', { migrationStatus: 'away' }),
    ];
    const res = selectNeedsAttention(laborers, [hh('h1')], NOW);
    expect(res.returned.map((r) => r.laborer.id)).toEqual(['r2', 'r1']);
    expect(res.returned[0].reason).toBe('2025-02-01 返乡');
    expect(res.unemployed.map((r) => r.laborer.id)).toEqual(['r2']);
    expect(res.wantsWork.map((r) => r.laborer.id)).toEqual(['r2']);
  });

  it('keeps only one village when asked, and copes with a laborer whose household is not on the phone', () => {
    const laborers = [
      lab('here', { employmentStatus: 'unemployed' }),
      lab('there', { employmentStatus: 'unemployed', householdId: 'h2' }),
      lab('orphan', { employmentStatus: 'unemployed', householdId: 'gone' }),
    ];
    const households = [hh('h1'), hh('h2', OTHER)];
    expect(selectNeedsAttention(laborers, households, NOW, VILLAGE).unemployed.map((r) => r.laborer.id)).toEqual(['here']);
    const all = selectNeedsAttention(laborers, households, NOW).unemployed;
    expect(all).toHaveLength(3);
    expect(all.find((r) => r.laborer.id === 'orphan')?.household).toBeNull();
  });

  it('a record without a time or with a bad one is not recent', () => {
    expect(isRecentlyChanged(lab('x', { updatedAt: undefined }), NOW)).toBe(false);
    expect(isRecentlyChanged(lab('x', { updatedAt: 'garbage' }), NOW)).toBe(false);
    expect(isRecentlyChanged(lab('x', { updatedAt: daysAgo(31) }), NOW)).toBe(false);
  });
});
