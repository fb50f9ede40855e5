import { ApiError } from '../src/api/client';
import { unplacedText } from '../src/components/fieldErrors';

describe('unplacedText: the alert beside a form whose fields do not take every message', () => {
  const refusal = new ApiError(400, 'VALIDATION_FAILED', '提交的内容有误：区域：必填；座位数：不能小于1', { regionCode: '必填', seats: '不能小于1' });

  it('says the API\'s message, which names each field in Chinese, not a bare "必填"', () => {
    expect(unplacedText(refusal, ['必填'])).toBe('提交的内容有误：区域：必填；座位数：不能小于1');
  });

  it('says nothing when every message sits beside its field', () => {
    expect(unplacedText(refusal, [])).toBeNull();
  });
});
