import { ERROR_CODES, ErrorCode, ErrorBody } from '@jobbridge/shared';
import { fieldLabel } from './validation';

/** HTTP status of each error code. */
const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_REFRESH_TOKEN: 401,
  WECHAT_LOGIN_FAILED: 401,
  ACCOUNT_DISABLED: 403,
  FORBIDDEN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  OUT_OF_AREA: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_STATE: 409,
  NOT_BOUND: 403,
  FEED_CURSOR_EXPIRED: 410,
  IMPORT_INVALID: 422,
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
};

/**
 * The one error type services throw. `message` is Chinese and shown to users;
 * `fields` names the offending fields so a form can mark them.
 */
export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message ?? ERROR_CODES[code]);
    this.statusCode = STATUS[code];
  }

  /** Response headers that go with the error (e.g. Retry-After of a 429). */
  headers?: Record<string, string>;

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

/** A validation error on named fields; the message lists them by `labels` where given, else by FIELD_LABELS (联系电话：…). */
export function fieldError(fields: Record<string, string>, labels: Readonly<Record<string, string>> = {}): AppError {
  const summary = Object.entries(fields)
    .map(([f, m]) => `${labels[f] ?? knownLabel(f)}：${m}`)
    .join('；');
  return new AppError('VALIDATION_FAILED', `${ERROR_CODES.VALIDATION_FAILED}：${summary}`, fields);
}

/** The Chinese name FIELD_LABELS gives every part of `path` (`query.cursor` is 翻页位置), else the path itself. */
function knownLabel(path: string): string {
  const context = path.startsWith('query.') ? 'querystring' : path.startsWith('params.') ? 'params' : 'body';
  const label = fieldLabel(path, context);
  return label.includes('字段“') ? path : label;
}

export const notFound = (what = '记录') => new AppError('NOT_FOUND', `${what}不存在或不在本账号的服务区域内`);
