import { askShareContact, sendJobInterest, SHARE_CONTACT_QUESTION } from '../src/services/jobs';
import { formFieldErrors, proposalBody, redeemEmployerInvite, type ProposalForm } from '../src/pages/employer/services/employer';
import { loadSession, saveSession } from '../src/services/session';
import { platform } from './stubs/taro';

const FORM: ProposalForm = {
  title: ' 电子厂普工 ',
  categoryCode: 'manufacturing.general_worker',
  workRegionCode: '440703',
  workPlaceName: '',
  wageMin: '4000',
  wageMax: '6000',
  headcount: '20',
  boardLodging: true,
  validFrom: '2026-12-01',
  validTo: '2027-06-01',
  description: '  ',
};

beforeEach(() => {
  platform.reset();
  process.env.TARO_ENV = 'h5';
  saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'u', role: 'worker', regionCode: null, name: '黄志强' } });
});
const last = () => platform.requests[platform.requests.length - 1];

describe('the posting proposal form', () => {
  it('sends numbers as numbers, trimmed texts, and leaves blank optional fields out', () => {
    expect(proposalBody(FORM)).toEqual({
      title: '电子厂普工',
      categoryCode: 'manufacturing.general_worker',
      workRegionCode: '440703',
      wageMin: 4000,
      wageMax: 6000,
      headcount: 20,
      boardLodging: true,
      validFrom: '2026-12-01',
      validTo: '2027-06-01',
    });
  });

  it('leaves blank required fields out and sends what is not a number as typed, so the API names the field', () => {
    const body = proposalBody({ ...FORM, title: '', categoryCode: '', wageMin: '4千', headcount: '' });
    expect(body).not.toHaveProperty('title');
    expect(body).not.toHaveProperty('categoryCode');
    expect(body).not.toHaveProperty('headcount');
    expect(body.wageMin).toBe('4千');
  });

  it("puts the API's field messages beside the form's fields (with or without the body. prefix), the rest apart", () => {
    expect(formFieldErrors({ wageMax: '不能低于月薪下限', 'body.title': '请填写岗位名称', employerId: '单位已停用' })).toEqual({
      byField: { wageMax: '不能低于月薪下限', title: '请填写岗位名称' },
      rest: ['单位已停用'],
    });
  });
});

describe("the worker's consent", () => {
  it('asks the question; 提供 is true, 不提供 or a dialog that fails is false', async () => {
    expect(await askShareContact()).toBe(true);
    expect(platform.modalCalls[0]).toMatchObject({ content: SHARE_CONTACT_QUESTION, confirmText: '提供', cancelText: '不提供' });
    expect(SHARE_CONTACT_QUESTION).toBe('是否把姓名和电话提供给该企业，方便企业联系您？');
    platform.modal = () => ({ confirm: false, cancel: true });
    expect(await askShareContact()).toBe(false);
    platform.modal = () => {
      throw new Error('showModal:fail');
    };
    expect(await askShareContact()).toBe(false);
  });

  it('sends a job card\'s interest with the group and the message seq', async () => {
    platform.respond = () => ({ statusCode: 200, data: {} });
    await sendJobInterest({ postingId: 'p1', shareContact: true, groupId: 'g1', seq: 7 });
    expect(last()).toMatchObject({ method: 'POST', url: '/api/v1/me/job-interest', data: { postingId: 'p1', shareContact: true, groupId: 'g1', seq: 7 } });
  });
});

describe('redeeming an employer invite code', () => {
  it('keeps the new tokens at once: the role changed', async () => {
    const user = { id: 'u', role: 'employer_contact', regionCode: null, name: '梁经理' };
    platform.respond = () => ({ statusCode: 200, data: { employer: { id: 'e1', name: '华粤电子' }, tokens: { accessToken: 'a2', refreshToken: 'r2', user } } });
    const out = await redeemEmployerInvite('123456789012', ' 梁经理 ');
    expect(last()).toMatchObject({ url: '/api/v1/me/employer-binding', data: { code: '123456789012', name: '梁经理' } });
    expect(out.employer.name).toBe('华粤电子');
    expect(loadSession()).toEqual({ accessToken: 'a2', refreshToken: 'r2', user });
  });

  it('sends no name when none is typed, and keeps the old session when the code is refused', async () => {
    platform.respond = () => ({ statusCode: 400, data: { error: { code: 'VALIDATION_FAILED', message: '邀请码无效或已过期', fields: { code: '邀请码无效或已过期' } } } });
    await expect(redeemEmployerInvite('000000000000', '  ')).rejects.toMatchObject({ fields: { code: '邀请码无效或已过期' } });
    expect(last().data).toEqual({ code: '000000000000' });
    expect(loadSession()?.accessToken).toBe('a');
  });
});
