import fc from 'fast-check';
import { REGION_CODE_LENGTHS, REGION_LEVELS, isRegionCode, isWithinRegion, parentRegionCode, regionAncestry, regionLevel } from './regions';

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const anyCode = fc.constantFrom(...REGION_LEVELS).chain((l) => digits(REGION_CODE_LENGTHS[l]));

describe('region codes', () => {
  it.each([
    ['45', 'province'],
    ['4514', 'city'],
    ['451425', 'county'],
    ['451425100', 'township'],
    ['451425100201', 'village'],
  ])('%s is a %s', (code, level) => {
    expect(regionLevel(code)).toBe(level);
  });

  it.each(['', '4', '451', '4514251', '45142510', '4514251002011', '45a425', ' 451425', 451425 as unknown as string])('%p is not a region code', (code) => {
    expect(isRegionCode(code)).toBe(false);
    expect(regionLevel(code)).toBeNull();
  });

  it('the ancestry of Tiandeng town runs from Guangxi down', () => {
    expect(regionAncestry('451425100')).toEqual(['45', '4514', '451425', '451425100']);
    expect(parentRegionCode('451425100')).toBe('451425');
    expect(parentRegionCode('45')).toBeNull();
  });

  it('every code lies within each of its ancestors and the whole country', () => {
    fc.assert(
      fc.property(anyCode, (code) => {
        for (const a of regionAncestry(code)) expect(isWithinRegion(code, a)).toBe(true);
        expect(isWithinRegion(code, null)).toBe(true);
      }),
    );
  });

  it('a code lies within another only when that other is its ancestor', () => {
    fc.assert(
      fc.property(anyCode, anyCode, (code, area) => {
        expect(isWithinRegion(code, area)).toBe(regionAncestry(code).includes(area));
      }),
    );
  });

  it('parent chains end at the province', () => {
    fc.assert(
      fc.property(anyCode, (code) => {
        let c: string | null = code;
        let steps = 0;
        while (c && parentRegionCode(c)) {
          c = parentRegionCode(c);
          steps++;
        }
        expect(c).toHaveLength(2);
        expect(steps).toBe(REGION_LEVELS.indexOf(regionLevel(code)!));
      }),
    );
  });
});
