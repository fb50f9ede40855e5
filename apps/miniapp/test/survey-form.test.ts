import {
  EMPTY_LABORER_FORM,
  LABORER_STEPS,
  displayValue,
  errorsOfStep,
  formOfLaborer,
  idNumberHint,
  laborerErrors,
  laborerPatch,
  splitList,
  toLaborerData,
} from '../src/services/survey-form';

const NOW = new Date('2025-06-01T04:00:00Z');
const HID = '00000000-0000-4000-8000-000000000001';
const filled = { ...EMPTY_LABORER_FORM, name: '农大明', idNumber: '451425199001011233', education: 'junior', employmentStatus: 'unemployed' };

describe('the laborer form', () => {
  it('reads birth date and sex from the ID number once 18 characters are typed, and checks the check digit at once', () => {
    expect(idNumberHint('4514251990', NOW)).toEqual({ error: null, birthDate: null, sex: null });
    expect(idNumberHint('451425199001011233', NOW)).toEqual({ error: null, birthDate: '1990-01-01', sex: 'male' });
    expect(idNumberHint('451425199001011234', NOW).error).toBe('身份证号校验位不正确');
    expect(idNumberHint('45142519900101123a', NOW).error).toContain('格式不正确');
  });

  it('builds a record the shared validator accepts, with birth date and sex from the ID', () => {
    const data = toLaborerData({ ...filled, skills: '电工，焊工、 厨师' }, HID, NOW);
    expect(data).toMatchObject({ birthDate: '1990-01-01', sex: 'male', skills: ['电工', '焊工', '厨师'], phone: null });
    expect(laborerErrors({ ...filled }, HID, NOW, false)).toEqual({});
  });

  it('puts the shared validators\' Chinese errors under the step they belong to', () => {
    const errors = laborerErrors({ ...EMPTY_LABORER_FORM, monthlyIncome: '-5', employmentStatus: 'local' }, HID, NOW, false);
    expect(errorsOfStep(errors, LABORER_STEPS[0])).toMatchObject({ name: '必填', idNumber: '必填' });
    expect(errorsOfStep(errors, LABORER_STEPS[1])).toMatchObject({ education: '必填' });
    expect(errorsOfStep(errors, LABORER_STEPS[2])).toMatchObject({ monthlyIncome: '月收入不能为负数' });
    const disabled = laborerErrors({ ...filled, health: 'disabled' }, HID, NOW, false);
    expect(errorsOfStep(disabled, LABORER_STEPS[1])).toMatchObject({ disabilityType: '健康状况为残疾时必填' });
    const returned = laborerErrors({ ...filled, migrationStatus: 'returned' }, HID, NOW, false);
    expect(errorsOfStep(returned, LABORER_STEPS[2])).toMatchObject({ returnedAt: '返乡回流人员必填' });
  });

  it('an edit sends only the changed fields and never the identity', () => {
    const rec = { id: 'l1', householdId: HID, name: '农大明', idNumberMasked: '451425********1233', version: 3, ...toLaborerData(filled, HID, NOW) };
    delete (rec as Record<string, unknown>).idNumber;
    const form = { ...formOfLaborer(rec), monthlyIncome: '2600', employmentStatus: 'local' };
    expect(laborerPatch(form, rec, NOW)).toEqual({ monthlyIncome: 2600, employmentStatus: 'local' });
    expect(laborerErrors(form, HID, NOW, true)).toEqual({});
  });

  it('shows values as labels', () => {
    expect(displayValue('serviceNeeds', ['job_referral', 'skills_training'])).toBe('岗位推荐、技能培训');
    expect(displayValue('isHardToEmploy', false)).toBe('否');
    expect(displayValue('employer', null)).toBe('—');
    expect(splitList(' a, b，c ')).toEqual(['a', 'b', 'c']);
  });
});
