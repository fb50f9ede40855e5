import { changedFacts } from '../src/pages/rights-facts';

const LISTED = '6f1d6f2e-0c43-4a55-9b1e-2f4d1e0a9c11';
const OTHER = '0b8a9d4c-3e21-4f6a-8d7b-5c9e2a1f0d22';
const loaded = { employerId: LISTED, employerName: '江门市蓬江区华粤电子科技有限公司', place: '广东省江门市', amountClaimed: 1_560_000, description: '拖欠三个月工资' };
const form = { employerId: LISTED, employerName: loaded.employerName, place: loaded.place, amountClaimed: 15_600, description: loaded.description };

describe('changedFacts: what 修改案件事实 sends', () => {
  it('sends nothing when nothing changed (the amount in yuan is the same fen)', () => {
    expect(changedFacts(loaded, form)).toEqual({});
    expect(changedFacts(loaded, { ...form, place: ' 广东省江门市 ' })).toEqual({});
  });

  it('sends only the fields the form changed, so another person\'s edit of the rest is not written back', () => {
    expect(changedFacts(loaded, { ...form, description: '拖欠四个月工资 ' })).toEqual({ description: '拖欠四个月工资' });
    expect(changedFacts(loaded, { ...form, amountClaimed: 20_800.5 })).toEqual({ amountClaimed: 2_080_050 });
    expect(changedFacts(loaded, { ...form, amountClaimed: null })).toEqual({ amountClaimed: null });
  });

  it('another employer of the list is sent by id; free text instead of a listed one is sent as a name (the API drops the link)', () => {
    expect(changedFacts(loaded, { ...form, employerId: OTHER })).toEqual({ employerId: OTHER });
    expect(changedFacts(loaded, { ...form, employerId: undefined })).toEqual({ employerName: loaded.employerName });
    const freeText = { ...loaded, employerId: null, employerName: '某包工头' };
    expect(changedFacts(freeText, { ...form, employerId: undefined, employerName: '某包工头' })).toEqual({});
    expect(changedFacts(freeText, { ...form, employerId: undefined, employerName: '王某（包工头）' })).toEqual({ employerName: '王某（包工头）' });
  });
});
