import { ERROR_CODES } from '@jobbridge/shared';
import { ApiError, errorMessage, fieldErrors, toApiError } from '../src/services/errors';

describe('toApiError', () => {
  it('keeps code, message and per-field messages of the API error shape', () => {
    const err = toApiError(400, {
      error: { code: 'VALIDATION_FAILED', message: '提交的内容有误', fields: { username: '用户名不能为空', 'members.0.name': '请填写姓名' } },
    });
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: '提交的内容有误',
      fields: { username: '用户名不能为空', 'members.0.name': '请填写姓名' },
    });
  });

  it.each([
    ['an empty message', { error: { code: 'ACCOUNT_LOCKED', message: '' } }, 423, 'ACCOUNT_LOCKED', ERROR_CODES.ACCOUNT_LOCKED],
    ['no message', { error: { code: 'FORBIDDEN' } }, 403, 'FORBIDDEN', ERROR_CODES.FORBIDDEN],
    ['a code this client does not know', { error: { code: 'QUOTA_FULL', message: '名额已满' } }, 409, 'BAD_RESPONSE', '名额已满'],
    ['an HTML page from a proxy', '<html>502 Bad Gateway</html>', 502, 'SERVICE_UNAVAILABLE', ERROR_CODES.SERVICE_UNAVAILABLE],
    ['a plain 429 from a proxy', '', 429, 'RATE_LIMITED', ERROR_CODES.RATE_LIMITED],
    ['no body at all', null, 500, 'BAD_RESPONSE', '服务器返回了无法识别的结果，请稍后再试'],
    ['an error that is not an object', { error: 'boom' }, 500, 'BAD_RESPONSE', '服务器返回了无法识别的结果，请稍后再试'],
  ])('gives a readable Chinese message for %s', (_case, body, status, code, message) => {
    expect(toApiError(status, body)).toMatchObject({ status, code, message });
  });

  it('drops field entries that are not text', () => {
    const err = toApiError(400, { error: { code: 'VALIDATION_FAILED', message: 'x', fields: { a: '必填', b: 3, c: null } } });
    expect(err.fields).toEqual({ a: '必填' });
  });
});

describe('errorMessage and fieldErrors', () => {
  it('shows the API message of an ApiError', () => {
    const err = new ApiError(401, 'INVALID_CREDENTIALS', '用户名或密码错误', { password: '密码错误' });
    expect(errorMessage(err)).toBe('用户名或密码错误');
    expect(fieldErrors(err)).toEqual({ password: '密码错误' });
  });

  it('never shows a raw exception to the user', () => {
    expect(errorMessage(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe('出现意外错误，请稍后再试');
    expect(fieldErrors(new Error('x'))).toEqual({});
  });
});
