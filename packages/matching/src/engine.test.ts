import fc from 'fast-check';
import { EDUCATION_LEVELS, JOB_CATEGORIES } from '@jobbridge/shared';
import { hardFilter, recommendNaive } from './engine';
import { PostingIndex, recommendAll } from './posting-index';
import type { MatchOptions, Posting, Seeker } from './types';

const NOW = new Date('2026-11-22T04:00:00Z');
const OPTS: MatchOptions = { now: NOW, topN: 3, maxPerEmployer: 1, partners: { '451425': ['440703'] } };
// Tiandeng (Guangxi) villages; Pengjiang (Guangdong, the partner); another Guangxi county; Hunan.
const PLACES = ['451425100201', '451425101201', '451425', '440703', '440703002', '451481', '430681'];
const CATEGORIES = JOB_CATEGORIES.map((c) => c.code);

const EDUCATION = EDUCATION_LEVELS.map((e) => e.code);
// Skills and certificates share one vocabulary: a posting's certificate can match a seeker's skill and the other way round.
const QUALIFICATIONS = ['电工证', '焊工证', '叉车证', '月嫂证', '母婴护理证', '健康证', '砌砖'];

/**
 * A seeker, varying every field the engine reads. `postingIds` are the postings
 * of the same run, so declined postings are ones that can actually come up.
 */
const seekerArb = (postingIds: readonly string[] = []): fc.Arbitrary<Seeker> =>
  fc.record({
    id: fc.uuid(),
    // Tiandeng (the partner's sending county), Pengjiang (no partner), Hunan.
    regionCode: fc.constantFrom('451425100201', '451425101201', '440703002001', '430681101202'),
    age: fc.integer({ min: 16, max: 64 }),
    sex: fc.constantFrom('male' as const, 'female' as const),
    education: fc.constantFrom(...EDUCATION),
    disabilityType: fc.option(fc.constantFrom('physical', 'hearing', 'visual'), { freq: 5 }),
    wantedJobCategories: fc.uniqueArray(fc.constantFrom(...CATEGORIES), { maxLength: 3 }),
    workScopes: fc.uniqueArray(fc.constantFrom('local', 'in_province', 'out_of_province'), { maxLength: 3 }),
    minMonthlyWage: fc.option(fc.integer({ min: 1500, max: 7000 }), { freq: 3 }),
    needsBoardLodging: fc.boolean(),
    skills: fc.uniqueArray(fc.constantFrom(...QUALIFICATIONS), { maxLength: 2 }),
    certificates: fc.uniqueArray(fc.constantFrom(...QUALIFICATIONS), { maxLength: 2 }),
    declinedPostingIds: postingIds.length ? fc.subarray([...postingIds]) : fc.constant([]),
  });

const postingArb: fc.Arbitrary<Posting> = fc
  .record({
    id: fc.uuid(),
    employerId: fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5', 'e6'),
    categoryCode: fc.constantFrom(...CATEGORIES),
    workRegionCode: fc.constantFrom(...PLACES),
    wageMin: fc.integer({ min: 1800, max: 6000 }),
    extra: fc.integer({ min: 0, max: 3000 }),
    ageMin: fc.option(fc.integer({ min: 16, max: 30 })),
    ageMax: fc.option(fc.integer({ min: 40, max: 60 })),
    sex: fc.option(fc.constantFrom('male' as const, 'female' as const), { freq: 4 }),
    educationMin: fc.option(fc.constantFrom('junior', 'senior', 'college', 'bachelor'), { freq: 3 }),
    skills: fc.uniqueArray(fc.constantFrom(...QUALIFICATIONS), { maxLength: 2 }),
    certificates: fc.uniqueArray(fc.constantFrom(...QUALIFICATIONS), { maxLength: 2 }),
    boardLodging: fc.boolean(),
    suitsDisabilities: fc.uniqueArray(fc.constantFrom('physical', 'hearing', 'visual'), { maxLength: 2 }),
    isEastWest: fc.boolean(),
    status: fc.constantFrom('open' as const, 'open' as const, 'open' as const, 'open' as const, 'closed' as const, 'paused' as const, 'filled' as const),
    validFrom: fc.constantFrom('2026-01-01', '2026-11-22', '2026-12-01'),
    validTo: fc.constantFrom('2026-11-01', '2026-11-22', '2026-12-31', '2027-06-30'),
    publishedDaysAgo: fc.integer({ min: 0, max: 60 }),
  })
  .map(({ extra, publishedDaysAgo, ...p }) => ({
    ...p,
    employerName: `企业${p.employerId}`,
    workPlaceName: p.workRegionCode,
    wageMax: p.wageMin + extra,
    publishedAt: new Date(NOW.getTime() - publishedDaysAgo * 86_400_000).toISOString(),
  }));

/** Postings, and seekers who may have declined some of them. */
const marketArb = (maxPostings: number, seekers: { maxLength: number }) =>
  fc.array(postingArb, { maxLength: maxPostings }).chain((postings) => fc.tuple(fc.array(seekerArb(postings.map((p) => p.id)), { minLength: 1, ...seekers }), fc.constant(postings)));
const oneSeekerArb = (maxPostings: number) => marketArb(maxPostings, { maxLength: 1 }).map(([[seeker], postings]) => [seeker, postings] as const);

describe('matching properties', () => {
  it('never recommends a posting that breaks a hard rule', () => {
    fc.assert(
      fc.property(oneSeekerArb(60), ([seeker, postings]) => {
        const byId = new Map(postings.map((p) => [p.id, p]));
        for (const r of new PostingIndex(postings, OPTS).recommend(seeker)) expect(hardFilter(seeker, byId.get(r.postingId)!, OPTS)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['top 3, one per employer', OPTS],
    // What the API's matcher runs; the partner given as a province-wide prefix as well as a district.
    ['top 5, two per employer (the product)', { ...OPTS, topN: 5, maxPerEmployer: 2, partners: { '451425': ['440703', '43'] } }],
  ])('the indexed matcher gives exactly what checking every posting gives: %s', (_name, opts) => {
    fc.assert(
      fc.property(marketArb(80, { maxLength: 8 }), ([seekers, postings]) => {
        expect(recommendAll(seekers, postings, opts)).toEqual(seekers.map((s) => recommendNaive(s, postings, opts)));
      }),
      { numRuns: 300 },
    );
  });

  it('is stable when the postings come in another order', () => {
    fc.assert(
      fc.property(oneSeekerArb(60).chain(([seeker, ps]) => fc.tuple(fc.constant(seeker), fc.constant(ps), fc.shuffledSubarray([...ps], { minLength: ps.length }))), ([seeker, a, b]) => {
        expect(new PostingIndex(b, OPTS).recommend(seeker)).toEqual(new PostingIndex(a, OPTS).recommend(seeker));
      }),
      { numRuns: 300 },
    );
  });

  it('offers at most topN, from distinct employers, best first', () => {
    fc.assert(
      fc.property(oneSeekerArb(60), ([seeker, postings]) => {
        const recs = new PostingIndex(postings, OPTS).recommend(seeker);
        const employers = recs.map((r) => postings.find((p) => p.id === r.postingId)!.employerId);
        expect(recs.length).toBeLessThanOrEqual(OPTS.topN);
        expect(new Set(employers).size).toBe(employers.length);
        expect(recs.map((r) => r.score)).toEqual([...recs.map((r) => r.score)].sort((x, y) => y - x));
        for (const r of recs) expect(r.reasons.length).toBeGreaterThan(0);
      }),
    );
  });
});

/** Scenarios from the source articles. */
const base: Seeker = {
  id: 's', regionCode: '451425100201', age: 38, sex: 'male', education: 'junior', disabilityType: null, wantedJobCategories: [], workScopes: [],
  minMonthlyWage: null, needsBoardLodging: false, skills: [], certificates: [], declinedPostingIds: [],
};
let n = 0;
const posting = (over: Partial<Posting>): Posting => ({
  id: `p${String(++n).padStart(3, '0')}`, employerId: `e${n}`, employerName: `企业${n}`, categoryCode: 'manufacturing.general_worker', workRegionCode: '451425100',
  workPlaceName: '天等县', wageMin: 2500, wageMax: 3500, ageMin: null, ageMax: null, sex: null, educationMin: null, skills: [], certificates: [],
  boardLodging: false, suitsDisabilities: [], isEastWest: false, status: 'open', validFrom: '2026-01-01', validTo: '2026-12-31', publishedAt: '2026-11-20T00:00:00Z', ...over,
});

describe('scenarios', () => {
  const factory = posting({ categoryCode: 'manufacturing.electronics_assembly', workRegionCode: '440703002', workPlaceName: '江门市蓬江区', wageMin: 4500, wageMax: 6000, isEastWest: true, boardLodging: true });
  const workshop = posting({ categoryCode: 'manufacturing.workshop', workRegionCode: '451425100', workPlaceName: '天等镇帮扶车间', wageMin: 1800, wageMax: 2600, suitsDisabilities: ['physical', 'hearing'] });
  const welfare = posting({ categoryCode: 'public_sector.public_welfare', workRegionCode: '451425100201', workPlaceName: '本村', wageMin: 1500, wageMax: 1800, suitsDisabilities: ['physical'] });
  const maternity = posting({ categoryCode: 'domestic.maternity', workRegionCode: '440703', workPlaceName: '江门市蓬江区', wageMin: 6000, wageMax: 9000, isEastWest: true, sex: 'female', skills: ['月嫂证'] });
  const cleaner = posting({ categoryCode: 'domestic.hourly', workRegionCode: '451425', workPlaceName: '天等县城', wageMin: 2500, wageMax: 3000 });
  const auxiliary = posting({ categoryCode: 'public_sector.auxiliary', workRegionCode: '451425', workPlaceName: '天等县人社局', wageMin: 2800, wageMax: 3200, educationMin: 'college' });
  const all = [factory, workshop, welfare, maternity, cleaner, auxiliary];

  it('a man with a physical disability who cannot travel far gets the local workshop and public-welfare post, never the out-of-province factory', () => {
    const recs = new PostingIndex(all, OPTS).recommend({ ...base, disabilityType: 'physical', workScopes: ['local'] });
    expect(recs.map((r) => r.postingId).sort()).toEqual([workshop.id, welfare.id].sort());
    expect(recs.flatMap((r) => r.reasons)).toContain('适合肢体残疾人员');
  });

  it('a woman trained in maternity care gets the maternity posting first, with its reasons', () => {
    const [first] = new PostingIndex(all, OPTS).recommend({ ...base, sex: 'female', wantedJobCategories: ['domestic.maternity'], skills: ['月嫂证'], minMonthlyWage: 4000 });
    expect(first.postingId).toBe(maternity.id);
    expect(first.reasons).toEqual(expect.arrayContaining(['意向工种匹配：月嫂/母婴护理', '东西部协作地区：江门市蓬江区', '月薪6000-9000，高于期望4000', '技能/证书对口：月嫂证']));
  });

  it('a graduate who wants a public-sector auxiliary post gets it; a junior-school leaver never does', () => {
    expect(new PostingIndex(all, OPTS).recommend({ ...base, education: 'college', age: 23, wantedJobCategories: ['public_sector.auxiliary'] })[0].postingId).toBe(auxiliary.id);
    expect(new PostingIndex(all, OPTS).recommend({ ...base, wantedJobCategories: ['public_sector.auxiliary'] }).map((r) => r.postingId)).not.toContain(auxiliary.id);
  });

  it('a wage floor and a declined posting are respected', () => {
    const ids = (s: Seeker) => new PostingIndex(all, OPTS).recommend(s).map((r) => r.postingId);
    // Of all the postings only the factory pays 4000 or more: it is offered, until declined.
    expect(ids({ ...base, minMonthlyWage: 4000 })).toEqual([factory.id]);
    expect(ids({ ...base, minMonthlyWage: 4000, declinedPostingIds: [factory.id] })).toEqual([]);
    // Without the floor the others come back, and the declined factory still never does.
    const noFloor = ids({ ...base, declinedPostingIds: [factory.id] });
    expect(noFloor.length).toBeGreaterThan(0);
    expect(noFloor).not.toContain(factory.id);
  });

  it('a certificate counts like a skill, on either side', () => {
    const forklift = posting({ categoryCode: 'logistics.forklift', certificates: ['叉车证'] });
    const plain = posting({ categoryCode: 'logistics.forklift' });
    const [first, second] = new PostingIndex([plain, forklift], { ...OPTS, maxPerEmployer: 2 }).recommend({ ...base, certificates: ['叉车证'] });
    expect(first.postingId).toBe(forklift.id);
    expect(first.reasons).toContain('技能/证书对口：叉车证');
    expect(first.score).toBe(second.score + 5);
  });
});
