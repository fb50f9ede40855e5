import fc from 'fast-check';
import {
  ageOn,
  chinaDate,
  idNumberCheckChar,
  idNumberProblem,
  isIsoDate,
  isValidIdNumber,
  maskIdNumber,
  maskPhone,
  normaliseIdNumber,
  parseIdNumber,
} from './id-number';

// Noon in China on 1 June 2025.
const TODAY = new Date('2025-06-01T04:00:00Z');

const withCheck = (first17: string) => first17 + idNumberCheckChar(first17);
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

/** A valid ID number together with what it was generated from. */
const generatedId = fc
  .record({
    province: fc.constantFrom('11', '31', '44', '45', '51', '52', '65', '82'),
    rest: digits(4),
    birth: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2025-05-31T00:00:00Z'), noInvalidDate: true }),
    seq: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ province, rest, birth, seq }) => {
    const birthDate = birth.toISOString().slice(0, 10);
    const id = withCheck(province + rest + birthDate.replace(/-/g, '') + pad(seq, 3));
    return { id, birthDate, sex: seq % 2 === 1 ? 'male' : 'female', regionCode: province + rest };
  });

describe('ID numbers (GB 11643)', () => {
  it.each([
    ['the GB 11643 sample', '11010519491231002X'],
    ['a lowercase check x', '11010519491231002x'],
    ['surrounding spaces', ' 11010519491231002X '],
    ['a leap-day birth in 2000', '451425200002290014'],
    ['a birth today', withCheck('45142520250601001')],
  ])('accepts %s', (_, id) => {
    expect(isValidIdNumber(id, TODAY)).toBe(true);
    expect(idNumberProblem(id, TODAY)).toBeNull();
  });

  it.each([
    ['a wrong check character', '110105194912310021', '身份证号校验位不正确'],
    ['a changed digit', '11010519491231003X', '身份证号校验位不正确'],
    ['17 characters', '11010519491231002', '身份证号应为18位'],
    ['19 characters', '11010519491231002X1', '身份证号应为18位'],
    ['a letter in the digits', '1101051949123100AX', '身份证号格式不正确（前17位为数字，末位为数字或X）'],
    ['an X in the middle', '11010519491231X021', '身份证号格式不正确（前17位为数字，末位为数字或X）'],
    ['a birth tomorrow', withCheck('45142520250602001'), '身份证号中的出生日期不正确'],
    ['a birth next century', withCheck('45142521250101001'), '身份证号中的出生日期不正确'],
    ['30 February', withCheck('45142519900230001'), '身份证号中的出生日期不正确'],
    ['29 February 1900 (not a leap year)', '451425190002290018', '身份证号中的出生日期不正确'],
    ['month 13', withCheck('45142519901301001'), '身份证号中的出生日期不正确'],
    ['day 00', withCheck('45142519900100001'), '身份证号中的出生日期不正确'],
    ['a birth before 1900', withCheck('45142518991231001'), '身份证号中的出生日期不正确'],
    ['province 99', withCheck('99142519850312003'), '身份证号地区码不正确'],
    ['province 10', withCheck('10142519850312003'), '身份证号地区码不正确'],
    ['an empty string', '', '必填'],
    ['a number', 110105194912310020, '应为文本'],
  ])('rejects %s', (_, id, message) => {
    expect(isValidIdNumber(id, TODAY)).toBe(false);
    expect(idNumberProblem(id, TODAY)).toBe(message);
    expect(parseIdNumber(id, TODAY)).toBeNull();
  });

  it('computes the check character, and nothing for malformed input', () => {
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
    expect(idNumberCheckChar('45142519850312003')).toBe('X');
    expect(idNumberCheckChar('1101051949123100')).toBeNull();
    expect(idNumberCheckChar('1101051949123100a')).toBeNull();
  });

  it('parses the GB sample: a woman born 31 Dec 1949 in Chaoyang, Beijing', () => {
    expect(parseIdNumber('11010519491231002x', TODAY)).toEqual({ birthDate: '1949-12-31', sex: 'female', regionCode: '110105' });
    expect(normaliseIdNumber(' 11010519491231002x\n')).toBe('11010519491231002X');
  });

  it('a generated valid ID always validates, in either case of x', () => {
    fc.assert(
      fc.property(generatedId, ({ id }) => {
        expect(isValidIdNumber(id, TODAY)).toBe(true);
        expect(isValidIdNumber(id.toLowerCase(), TODAY)).toBe(true);
      }),
    );
  });

  it('changing any one character of a valid ID makes it invalid', () => {
    fc.assert(
      fc.property(generatedId, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 10 }), ({ id }, pos, shift) => {
        const alphabet = pos === 17 ? '0123456789X' : '0123456789';
        const from = alphabet.indexOf(id[pos]);
        const to = alphabet[(from + shift) % alphabet.length];
        fc.pre(to !== id[pos]);
        const changed = id.slice(0, pos) + to + id.slice(pos + 1);
        expect(isValidIdNumber(changed, TODAY)).toBe(false);
      }),
    );
  });

  it('parsing gives back the birth date, sex and region the ID was made from', () => {
    fc.assert(
      fc.property(generatedId, ({ id, birthDate, sex, regionCode }) => {
        expect(parseIdNumber(id, TODAY)).toEqual({ birthDate, sex, regionCode });
      }),
    );
  });

  it('masking keeps only the region: never the birth date, the sequence or the check character', () => {
    fc.assert(
      fc.property(generatedId, ({ id }) => {
        const masked = maskIdNumber(id);
        expect(masked).toHaveLength(18);
        expect(masked.slice(0, 6)).toBe(id.slice(0, 6));
        expect(masked.slice(6)).toBe('************');
      }),
    );
  });

  it.each([
    ['451425198503120038', '451425************'],
    ['11010519491231002x', '110105************'],
    ['110105491231002', '110105*********'],
    ['12345', '*****'],
    ['', ''],
    [null, ''],
  ])('masks ID %p as %p', (id, masked) => {
    expect(maskIdNumber(id)).toBe(masked);
  });

  it.each([
    ['13812345678', '138****5678'],
    [' 13812345678 ', '138****5678'],
    ['0771-5512345', '077*******45'],
    ['12345', '*****'],
    ['', ''],
    [undefined, ''],
  ])('masks phone %p as %p', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe('dates', () => {
  it.each([
    ['1990-06-01', '2025-06-01', 35],
    ['1990-06-02', '2025-06-01', 34],
    ['2009-06-01', '2025-06-01', 16],
    ['2009-06-02', '2025-06-01', 15],
    ['2000-02-29', '2025-02-28', 24],
    ['2000-02-29', '2025-03-01', 25],
    ['2025-06-01', '2025-06-01', 0],
  ])('born %s is %s years old on %s', (birth, on, age) => {
    expect(ageOn(birth, on)).toBe(age);
  });

  it('reads an instant as a China date', () => {
    expect(chinaDate(new Date('2024-12-31T15:59:59Z'))).toBe('2024-12-31');
    expect(chinaDate(new Date('2024-12-31T16:00:00Z'))).toBe('2025-01-01');
    expect(ageOn('2009-01-01', new Date('2024-12-31T16:00:00Z'))).toBe(16);
  });

  it('refuses to compute an age from a malformed date', () => {
    expect(() => ageOn('1990-02-30', '2025-01-01')).toThrow(RangeError);
  });

  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2024-04-31', false],
    ['2024-4-01', false],
    ['2024-04-01T00:00:00Z', false],
    [20240401, false],
  ])('%p is a calendar date: %p', (s, ok) => {
    expect(isIsoDate(s)).toBe(ok);
  });
});
