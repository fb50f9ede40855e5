import fc from 'fast-check';
import { idNumberCheckChar } from './id-number';
import {
  HOUSEHOLD_FIELDS,
  HOUSEHOLD_FIELD_LABELS,
  LABORER_FIELDS,
  LABORER_FIELD_LABELS,
  validateHousehold,
  validateLaborer,
  validateVisit,
} from './survey';
import type { HouseholdData, LaborerData, VisitData } from './survey';

// Noon in China on 1 June 2025.
const NOW = new Date('2025-06-01T04:00:00Z');
const withCheck = (first17: string) => first17 + idNumberCheckChar(first17);
const UUID = '7b1f6c3e-2d4a-4f8e-9c1a-5e6f7a8b9c0d';

/** A man born 12 March 1985 in Tiandeng county, working in Jiangmen. */
const LABORER: LaborerData = {
  householdId: UUID,
  name: '韦建国',
  idNumber: '45142519850312003X',
  birthDate: '1985-03-12',
  sex: 'male',
  phone: '13812345678',
  relationToHead: 'self',
  education: 'junior',
  health: 'healthy',
  disabilityType: null,
  disabilityGrade: null,
  skills: ['砌砖', '电焊'],
  certificates: ['焊工证'],
  isHardToEmploy: false,
  employmentStatus: 'out_of_province',
  employer: '江门某电子厂',
  workPlace: '广东省江门市蓬江区',
  employedSince: '2023-03-01',
  monthlyIncome: 5200,
  migrationStatus: 'away',
  awayPlace: '广东省江门市',
  awaySince: '2023-02-20',
  returnedAt: null,
  returnReason: null,
  serviceNeeds: ['job_referral', 'skills_training'],
  wantedJobCategories: ['manufacturing.electronics_assembly', 'tech.welder'],
  workScopes: ['in_province', 'out_of_province'],
  preferredPlaces: ['江门', '南宁'],
  minMonthlyWage: 4500,
  needsBoardLodging: true,
  trainingWanted: ['welder'],
};

const REQUIRED_LABORER_FIELDS = [
  'householdId',
  'name',
  'idNumber',
  'education',
  'health',
  'skills',
  'certificates',
  'isHardToEmploy',
  'employmentStatus',
  'migrationStatus',
  'serviceNeeds',
  'wantedJobCategories',
  'workScopes',
  'preferredPlaces',
  'needsBoardLodging',
  'trainingWanted',
] as const;

const HOUSEHOLD: HouseholdData = {
  regionCode: '451425100201',
  address: '天等县天等镇某村某屯12号',
  headName: '韦建国',
  povertyStatus: 'lifted',
  phone: '13812345678',
};

const VISIT: VisitData = {
  householdId: UUID,
  laborerId: UUID,
  visitedAt: '2025-06-01T10:30:00+08:00',
  location: { lat: 23.08, lng: 107.14, accuracy: 15 },
  note: '已外出务工，需要焊工培训',
  changedFields: ['employmentStatus', 'trainingWanted'],
};

const without = <T extends object>(o: T, ...keys: string[]) =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
const long = (n: number) => '字'.repeat(n);

describe('validateLaborer (create)', () => {
  it('accepts a full record', () => {
    expect(validateLaborer(LABORER, 'create', NOW)).toEqual({});
  });

  it('accepts a record with only the required fields', () => {
    const minimal = Object.fromEntries(REQUIRED_LABORER_FIELDS.map((k) => [k, LABORER[k]]));
    expect(validateLaborer(minimal, 'create', NOW)).toEqual({});
  });

  it.each(REQUIRED_LABORER_FIELDS)('requires %s', (field) => {
    expect(validateLaborer(without(LABORER, field), 'create', NOW)).toEqual({ [field]: '必填' });
    expect(validateLaborer({ ...LABORER, [field]: null }, 'create', NOW)).toEqual({ [field]: '必填' });
  });

  it.each([null, 'x', 42, [], [LABORER]])('rejects %p as a whole', (data) => {
    expect(validateLaborer(data, 'create', NOW)).toEqual({ data: '应为对象' });
  });

  it('rejects unknown fields, including __proto__', () => {
    expect(validateLaborer({ ...LABORER, age: 40 }, 'create', NOW)).toEqual({ age: '不允许的字段' });
    const errors = validateLaborer({ ...LABORER, ...JSON.parse('{"__proto__": {"isAdmin": true}}') }, 'create', NOW);
    expect(Object.keys(errors)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(errors, '__proto__')?.value).toBe('不允许的字段');
  });

  it.each<[string, Partial<Record<keyof LaborerData, unknown>>, Record<string, string>]>([
    // text
    ['a blank name', { name: '   ' }, { name: '必填' }],
    ['a 10,000-character name', { name: long(10_000) }, { name: '不能超过50个字符' }],
    ['a numeric name', { name: 42 }, { name: '应为文本' }],
    ['51 rare characters outside the BMP', { name: '𠮷'.repeat(51) }, { name: '不能超过50个字符' }],
    ['an overlong employer', { employer: long(101) }, { employer: '不能超过100个字符' }],
    ['an empty work place', { workPlace: '' }, { workPlace: '不能为空' }],
    ['an overlong away place', { awayPlace: long(101) }, { awayPlace: '不能超过100个字符' }],
    // ids and phone
    ['a malformed household id', { householdId: 'household-1' }, { householdId: '编号格式不正确' }],
    ['a phone that is not a mobile', { phone: '12812345678' }, { phone: '手机号格式不正确' }],
    ['a phone with a country code', { phone: '+8613812345678' }, { phone: '手机号格式不正确' }],
    ['a numeric phone', { phone: 13812345678 }, { phone: '应为文本' }],
    // ID number
    ['a wrong check character', { idNumber: '451425198503120031' }, { idNumber: '身份证号校验位不正确' }],
    ['a 15-digit old ID', { idNumber: '451425850312003' }, { idNumber: '身份证号应为18位' }],
    ['a numeric ID', { idNumber: 451425198503120000 }, { idNumber: '应为文本' }],
    [
      'an ID of a 15-year-old',
      { idNumber: withCheck('45142520090602001'), birthDate: null, sex: null, employedSince: null, awaySince: null },
      { idNumber: '未满16周岁，不属于劳动力人口' },
    ],
    ['a birth date the ID does not say', { birthDate: '1985-03-13' }, { birthDate: '出生日期与身份证号不一致' }],
    ['a sex the ID does not say', { sex: 'female' }, { sex: '性别与身份证号不一致' }],
    ['a badly written birth date', { birthDate: '1985-3-12' }, { birthDate: '日期格式应为YYYY-MM-DD' }],
    ['a future birth date', { birthDate: '2030-01-01' }, { birthDate: '不能晚于今天' }],
    ['an unknown sex', { sex: 'm' }, { sex: '代码不在列表中' }],
    // codes
    ['an unknown education', { education: 'phd' }, { education: '代码不在列表中' }],
    ['a numeric education', { education: 3 }, { education: '应为文本' }],
    ['an unknown relation', { relationToHead: 'boss' }, { relationToHead: '代码不在列表中' }],
    ['an unknown employment status', { employmentStatus: 'employed' }, { employmentStatus: '代码不在列表中' }],
    ['an unknown migration status', { migrationStatus: 'gone' }, { migrationStatus: '代码不在列表中' }],
    ['a job group instead of a category', { wantedJobCategories: ['manufacturing'] }, { 'wantedJobCategories.0': '代码不在列表中' }],
    ['a repeated work scope', { workScopes: ['local', 'local'] }, { 'workScopes.1': '不能重复' }],
    ['a training code that is a label', { trainingWanted: ['welder', '焊工'] }, { 'trainingWanted.1': '代码不在列表中' }],
    ['a number among service needs', { serviceNeeds: [1] }, { 'serviceNeeds.0': '应为文本' }],
    ['"no needs" with a need', { serviceNeeds: ['job_referral', 'none'] }, { serviceNeeds: '选择“暂无需求”时不能再选其他需求' }],
    ['a list that is not a list', { workScopes: 'local' }, { workScopes: '应为列表' }],
    [
      '11 wanted job categories',
      { wantedJobCategories: ['tech.electrician', 'tech.welder', 'tech.plumber', 'tech.auto_repair', 'tech.appliance_repair', 'tech.cnc', 'tech.crane_operator', 'tech.heavy_machinery', 'office.clerk', 'office.reception', 'office.accounting'] },
      { wantedJobCategories: '最多10项' },
    ],
    // free-text lists
    ['21 skills', { skills: Array.from({ length: 21 }, (_, i) => `技能${i}`) }, { skills: '最多20项' }],
    ['an overlong skill', { skills: ['砌砖', '砌砖', '砌砖', long(31)] }, { 'skills.3': '不能超过30个字符' }],
    ['an empty certificate', { certificates: [''] }, { 'certificates.0': '不能为空' }],
    ['a certificate that is an object', { certificates: [{ name: '焊工证' }] }, { 'certificates.0': '应为文本' }],
    ['11 preferred places', { preferredPlaces: Array.from({ length: 11 }, (_, i) => `城市${i}`) }, { preferredPlaces: '最多10项' }],
    ['an overlong preferred place', { preferredPlaces: [long(51)] }, { 'preferredPlaces.0': '不能超过50个字符' }],
    // booleans and numbers
    ['a yes/no given as text', { isHardToEmploy: 'yes' }, { isHardToEmploy: '应为是/否' }],
    ['a yes/no given as 1', { needsBoardLodging: 1 }, { needsBoardLodging: '应为是/否' }],
    ['a negative income', { monthlyIncome: -1 }, { monthlyIncome: '月收入不能为负数' }],
    ['a fractional income', { monthlyIncome: 5000.5 }, { monthlyIncome: '应为整数' }],
    ['an income as text', { monthlyIncome: '5000' }, { monthlyIncome: '应为整数' }],
    ['an income of NaN', { monthlyIncome: NaN }, { monthlyIncome: '应为整数' }],
    ['an income over a million', { monthlyIncome: 1_000_001 }, { monthlyIncome: '不能大于1000000' }],
    ['a negative wage floor', { minMonthlyWage: -100 }, { minMonthlyWage: '期望工资不能为负数' }],
    ['a wage floor over 100,000', { minMonthlyWage: 100_001 }, { minMonthlyWage: '不能大于100000' }],
    // dates
    ['employment starting tomorrow', { employedSince: '2025-06-02' }, { employedSince: '不能晚于今天' }],
    ['employment starting on 30 February', { employedSince: '2023-02-30' }, { employedSince: '不是有效的日期' }],
    ['employment starting before birth', { employedSince: '1985-03-11' }, { employedSince: '不能早于出生日期' }],
    ['leaving before birth', { awaySince: '1970-01-01' }, { awaySince: '不能早于出生日期' }],
    ['a date-time where a date belongs', { awaySince: '2023-02-20T08:00:00Z' }, { awaySince: '日期格式应为YYYY-MM-DD' }],
    [
      'returning in the future',
      { migrationStatus: 'returned', returnedAt: '2025-07-01', returnReason: 'family_care' },
      { returnedAt: '不能晚于今天' },
    ],
    [
      'returning before leaving',
      { migrationStatus: 'returned', returnedAt: '2023-01-01', returnReason: 'family_care' },
      { returnedAt: '返乡时间不能早于外出时间' },
    ],
    // disability
    ['a disabled laborer without type or grade', { health: 'disabled' }, { disabilityType: '健康状况为残疾时必填', disabilityGrade: '健康状况为残疾时必填' }],
    ['a disabled laborer without a grade', { health: 'disabled', disabilityType: 'physical' }, { disabilityGrade: '健康状况为残疾时必填' }],
    ['a healthy laborer with a disability type', { disabilityType: 'visual' }, { disabilityType: '健康状况不是残疾时应为空' }],
    ['a chronically ill laborer with a grade', { health: 'chronic', disabilityGrade: 3 }, { disabilityGrade: '健康状况不是残疾时应为空' }],
    ['grade 5', { health: 'disabled', disabilityType: 'physical', disabilityGrade: 5 }, { disabilityGrade: '代码不在列表中' }],
    ['grade "2"', { health: 'disabled', disabilityType: 'physical', disabilityGrade: '2' }, { disabilityGrade: '应为整数' }],
    ['an unknown disability type', { health: 'disabled', disabilityType: 'blind', disabilityGrade: 2 }, { disabilityType: '代码不在列表中' }],
    // migration
    ['a returnee without a reason', { migrationStatus: 'returned', returnedAt: '2025-01-20' }, { returnReason: '返乡回流人员必填' }],
    ['a returnee without a date or reason', { migrationStatus: 'returned' }, { returnedAt: '返乡回流人员必填', returnReason: '返乡回流人员必填' }],
    ['an unknown return reason', { migrationStatus: 'returned', returnedAt: '2025-01-20', returnReason: 'bored' }, { returnReason: '代码不在列表中' }],
  ])('rejects %s', (_, change, errors) => {
    expect(validateLaborer({ ...LABORER, ...change }, 'create', NOW)).toEqual(errors);
  });

  it.each<[string, Partial<Record<keyof LaborerData, unknown>>]>([
    ['a 50-character name', { name: long(50) }],
    ['50 rare characters outside the BMP', { name: '𠮷'.repeat(50) }],
    ['a lowercase x in the ID', { idNumber: '45142519850312003x' }],
    ['an ID of someone 16 today', { idNumber: withCheck('45142520090601001'), birthDate: '2009-06-01', employedSince: null, awaySince: null }],
    ['no birth date or sex (they come from the ID)', { birthDate: null, sex: null }],
    ['a disabled laborer with type and grade', { health: 'disabled', disabilityType: 'hearing', disabilityGrade: 4 }],
    ['a returnee with date and reason', { migrationStatus: 'returned', returnedAt: '2025-01-20', returnReason: 'start_business' }],
    ['employment starting today', { employedSince: '2025-06-01' }],
    ['zero income', { monthlyIncome: 0 }],
    ['only "no needs"', { serviceNeeds: ['none'] }],
    ['empty lists', { skills: [], certificates: [], serviceNeeds: [], wantedJobCategories: [], workScopes: [], preferredPlaces: [], trainingWanted: [] }],
    ['10 wanted job categories', { wantedJobCategories: ['tech.electrician', 'tech.welder', 'tech.plumber', 'tech.auto_repair', 'tech.appliance_repair', 'tech.cnc', 'tech.crane_operator', 'tech.heavy_machinery', 'office.clerk', 'office.reception'] }],
    ['an undefined optional field', { employer: undefined }],
  ])('accepts %s', (_, change) => {
    expect(validateLaborer({ ...LABORER, ...change }, 'create', NOW)).toEqual({});
  });
});

describe('validateLaborer (update)', () => {
  it.each<[string, Record<string, unknown>, Record<string, string>]>([
    ['an empty patch', {}, {}],
    ['a new name', { name: '韦建华' }, {}],
    ['clearing an optional field', { employer: null, monthlyIncome: null }, {}],
    ['a required field set to null', { name: null }, { name: '必填' }],
    ['a required field set blank', { name: ' ' }, { name: '必填' }],
    ['a new ID number', { idNumber: '11010519491231002X' }, { idNumber: '不能修改' }],
    ['a move to another household', { householdId: UUID }, { householdId: '不能修改' }],
    ['an unknown field', { salary: 3000 }, { salary: '不允许的字段' }],
    ['a bad code', { employmentStatus: 'busy' }, { employmentStatus: '代码不在列表中' }],
    ['a negative wage floor', { minMonthlyWage: -1 }, { minMonthlyWage: '期望工资不能为负数' }],
    ['a future employment start', { employedSince: '2026-01-01' }, { employedSince: '不能晚于今天' }],
    // Cross-field rules run only when both sides are in the patch.
    ['health "disabled" alone', { health: 'disabled' }, {}],
    ['a disability type alone', { disabilityType: 'visual' }, {}],
    ['health "disabled" with the type cleared', { health: 'disabled', disabilityType: null }, { disabilityType: '健康状况为残疾时必填' }],
    ['health "healthy" with a grade', { health: 'healthy', disabilityGrade: 2 }, { disabilityGrade: '健康状况不是残疾时应为空' }],
    ['health "disabled" with type and grade', { health: 'disabled', disabilityType: 'mental', disabilityGrade: 1 }, {}],
    ['"returned" alone', { migrationStatus: 'returned' }, {}],
    ['"returned" with the reason cleared', { migrationStatus: 'returned', returnReason: null }, { returnReason: '返乡回流人员必填' }],
    ['an employment start alone, however early', { employedSince: '1960-01-01' }, {}],
    ['a birth date (it comes from the ID number)', { birthDate: '1985-03-12' }, { birthDate: '不能修改' }],
    ['a sex (it comes from the ID number)', { sex: 'male' }, { sex: '不能修改' }],
    ['a return before the patched departure', { awaySince: '2024-05-01', returnedAt: '2024-04-30' }, { returnedAt: '返乡时间不能早于外出时间' }],
  ])('%s', (_, patch, errors) => {
    expect(validateLaborer(patch, 'update', NOW)).toEqual(errors);
  });

  it('rejects a non-object patch', () => {
    expect(validateLaborer([], 'update', NOW)).toEqual({ data: '应为对象' });
  });
});

describe('validateHousehold', () => {
  it('accepts a full record and one without a phone', () => {
    expect(validateHousehold(HOUSEHOLD, 'create', NOW)).toEqual({});
    expect(validateHousehold(without(HOUSEHOLD, 'phone'), 'create', NOW)).toEqual({});
    expect(validateHousehold({ ...HOUSEHOLD, phone: null }, 'create', NOW)).toEqual({});
  });

  it.each(['regionCode', 'address', 'headName', 'povertyStatus'])('requires %s', (field) => {
    expect(validateHousehold(without(HOUSEHOLD, field), 'create', NOW)).toEqual({ [field]: '必填' });
  });

  it.each<[string, Record<string, unknown>, Record<string, string>]>([
    ['a county code', { regionCode: '451425' }, { regionCode: '应为12位村级区划代码' }],
    ['a 12-character code with a letter', { regionCode: '45142510020a' }, { regionCode: '应为12位村级区划代码' }],
    ['a numeric region code', { regionCode: 451425100201 }, { regionCode: '应为文本' }],
    ['a blank head name', { headName: '\t ' }, { headName: '必填' }],
    ['a 10,000-character head name', { headName: long(10_000) }, { headName: '不能超过50个字符' }],
    ['a 201-character address', { address: long(201) }, { address: '不能超过200个字符' }],
    ['an unknown poverty status', { povertyStatus: 'poor' }, { povertyStatus: '代码不在列表中' }],
    ['a landline', { phone: '0771-5512345' }, { phone: '手机号格式不正确' }],
    ['an unknown field', { members: [] }, { members: '不允许的字段' }],
  ])('rejects %s', (_, change, errors) => {
    expect(validateHousehold({ ...HOUSEHOLD, ...change }, 'create', NOW)).toEqual(errors);
  });

  it.each<[string, Record<string, unknown>, Record<string, string>]>([
    ['an empty patch', {}, {}],
    ['a move to another village', { regionCode: '451425100202' }, {}],
    ['a cleared phone', { phone: null }, {}],
    ['a cleared required field', { address: null }, { address: '必填' }],
    ['a bad status', { povertyStatus: 'rich' }, { povertyStatus: '代码不在列表中' }],
  ])('update: %s', (_, patch, errors) => {
    expect(validateHousehold(patch, 'update', NOW)).toEqual(errors);
  });

  it('rejects a non-object', () => {
    expect(validateHousehold('household', 'create', NOW)).toEqual({ data: '应为对象' });
  });
});

describe('validateVisit', () => {
  it('accepts a full visit and a bare one', () => {
    expect(validateVisit(VISIT, NOW)).toEqual({});
    expect(validateVisit({ householdId: UUID, visitedAt: '2025-05-30T02:00:00Z' }, NOW)).toEqual({});
    expect(validateVisit({ ...VISIT, laborerId: null, location: null, note: null, changedFields: [] }, NOW)).toEqual({});
    expect(validateVisit({ ...VISIT, location: { lat: -90, lng: 180 } }, NOW)).toEqual({});
  });

  it.each(['householdId', 'visitedAt'])('requires %s', (field) => {
    expect(validateVisit(without(VISIT, field), NOW)).toEqual({ [field]: '必填' });
  });

  it.each([
    ['9 minutes ahead (clock skew)', '2025-06-01T12:09:00+08:00'],
    ['exactly 10 minutes ahead', '2025-06-01T04:10:00Z'],
    ['with milliseconds', '2025-06-01T04:00:00.123Z'],
    ['with a negative offset', '2025-05-31T20:00:00-08:00'],
  ])('accepts a visit time %s', (_, visitedAt) => {
    expect(validateVisit({ ...VISIT, visitedAt }, NOW)).toEqual({});
  });

  it.each<[string, Record<string, unknown>, Record<string, string>]>([
    ['a visit 11 minutes ahead', { visitedAt: '2025-06-01T12:11:00+08:00' }, { visitedAt: '不能晚于当前时间' }],
    ['a visit tomorrow', { visitedAt: '2025-06-02T04:00:00Z' }, { visitedAt: '不能晚于当前时间' }],
    ['a time without a zone', { visitedAt: '2025-06-01T10:00:00' }, { visitedAt: '时间格式不正确（如 2024-05-01T09:30:00+08:00）' }],
    ['a time with a space', { visitedAt: '2025-06-01 10:00:00+08:00' }, { visitedAt: '时间格式不正确（如 2024-05-01T09:30:00+08:00）' }],
    ['a date only', { visitedAt: '2025-06-01' }, { visitedAt: '时间格式不正确（如 2024-05-01T09:30:00+08:00）' }],
    ['30 February', { visitedAt: '2025-02-30T10:00:00+08:00' }, { visitedAt: '时间格式不正确（如 2024-05-01T09:30:00+08:00）' }],
    ['hour 24', { visitedAt: '2025-05-30T24:00:00+08:00' }, { visitedAt: '时间格式不正确（如 2024-05-01T09:30:00+08:00）' }],
    ['a visit in 1999', { visitedAt: '1999-12-31T10:00:00+08:00' }, { visitedAt: '走访时间不正确' }],
    ['a time as a number', { visitedAt: NOW.getTime() }, { visitedAt: '应为文本' }],
    ['a malformed laborer id', { laborerId: '12' }, { laborerId: '编号格式不正确' }],
    ['a latitude of 91', { location: { lat: 91, lng: 107 } }, { 'location.lat': '纬度应在-90到90之间' }],
    ['a longitude of -181', { location: { lat: 23, lng: -181 } }, { 'location.lng': '经度应在-180到180之间' }],
    ['a location without a longitude', { location: { lat: 23 } }, { 'location.lng': '必填' }],
    ['a latitude as text', { location: { lat: '23.1', lng: 107 } }, { 'location.lat': '应为数字' }],
    ['a negative accuracy', { location: { lat: 23, lng: 107, accuracy: -1 } }, { 'location.accuracy': '不能小于0' }],
    ['an extra location key', { location: { lat: 23, lng: 107, altitude: 500 } }, { 'location.altitude': '不允许的字段' }],
    ['a location as text', { location: '天等镇' }, { location: '应为对象' }],
    ['a 501-character note', { note: long(501) }, { note: '不能超过500个字符' }],
    ['101 changed fields', { changedFields: Array.from({ length: 101 }, () => 'name') }, { changedFields: '最多100项' }],
    ['an overlong changed field name', { changedFields: ['name', 'x'.repeat(65)] }, { 'changedFields.1': '不能超过64个字符' }],
    ['an unknown field', { officerId: UUID }, { officerId: '不允许的字段' }],
  ])('rejects %s', (_, change, errors) => {
    expect(validateVisit({ ...VISIT, ...change }, NOW)).toEqual(errors);
  });
});

describe('field lists', () => {
  it('name every field once, with a Chinese label', () => {
    expect(LABORER_FIELDS).toEqual(Object.keys(LABORER));
    expect(HOUSEHOLD_FIELDS).toEqual(Object.keys(HOUSEHOLD));
    for (const f of LABORER_FIELDS) expect(LABORER_FIELD_LABELS[f]).toMatch(/[\u4e00-\u9fff]/);
    for (const f of HOUSEHOLD_FIELDS) expect(HOUSEHOLD_FIELD_LABELS[f]).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('validators on arbitrary input', () => {
  // Whatever arrives over the network, a validator answers with messages and never throws.
  const laborerish = fc.dictionary(fc.constantFrom(...LABORER_FIELDS, 'extra'), fc.anything(), { maxKeys: 12 });
  const isMessages = (e: Record<string, string>) => Object.values(e).every((m) => typeof m === 'string' && m.length > 0);

  it('validateLaborer never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), laborerish), fc.constantFrom('create' as const, 'update' as const), (data, mode) => {
        expect(isMessages(validateLaborer(data, mode, NOW))).toBe(true);
      }),
    );
  });

  it('a valid record with one field replaced by anything blames only that field or fields of a rule it takes part in', () => {
    const partners = ['idNumber', 'birthDate', 'sex', 'disabilityType', 'disabilityGrade', 'employedSince', 'awaySince', 'returnedAt', 'returnReason'];
    fc.assert(
      fc.property(fc.constantFrom(...LABORER_FIELDS), fc.anything(), (field, value) => {
        const errors = validateLaborer({ ...LABORER, [field]: value }, 'create', NOW);
        expect(isMessages(errors)).toBe(true);
        for (const path of Object.keys(errors)) {
          expect(path === field || path.startsWith(`${field}.`) || partners.includes(path)).toBe(true);
        }
      }),
    );
  });

  it('validateHousehold and validateVisit never throw', () => {
    fc.assert(
      fc.property(fc.anything(), (data) => {
        expect(isMessages(validateHousehold(data, 'create', NOW))).toBe(true);
        expect(isMessages(validateVisit(data, NOW))).toBe(true);
      }),
    );
  });
});
