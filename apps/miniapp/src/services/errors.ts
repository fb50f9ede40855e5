import { ERROR_CODES, isRecord, type ErrorCode } from '@jobbridge/shared';

/** Codes the client makes up itself when there is no usable answer from the API. */
export type ClientErrorCode =
  /** The request never got an HTTP answer (offline, DNS, timeout, blocked domain). */
  | 'NETWORK_ERROR'
  /** An HTTP error whose body is not the API's error shape (a proxy page, a crash). */
  | 'BAD_RESPONSE'
  /** The weapp build was made without TARO_APP_API_BASE. */
  | 'NOT_CONFIGURED'
  /** Something in the client itself threw. */
  | 'UNEXPECTED';

export const CLIENT_ERROR_MESSAGES: Record<ClientErrorCode, string> = {
  NETWORK_ERROR: '网络连接失败，请检查网络后重试',
  BAD_RESPONSE: '服务器返回了无法识别的结果，请稍后再试',
  NOT_CONFIGURED: '未配置服务器地址，请联系管理员',
  UNEXPECTED: '出现意外错误，请稍后再试',
};

/** A failed API call, carrying what the UI shows: a Chinese message and per-field messages. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  readonly fields: Record<string, string>;

  constructor(status: number, code: ErrorCode | ClientErrorCode, message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

/**
 * Turns a non-2xx response into an ApiError. The API always answers
 * `{ error: { code, message, fields? } }`; anything else (an nginx error page,
 * a body cut short) still yields a readable Chinese message.
 */
export function toApiError(status: number, body: unknown): ApiError {
  const error = isRecord(body) ? body.error : undefined;
  if (!isRecord(error) || typeof error.code !== 'string') {
    if (status === 429) return new ApiError(status, 'RATE_LIMITED', ERROR_CODES.RATE_LIMITED);
    if (status === 502 || status === 503 || status === 504) {
      return new ApiError(status, 'SERVICE_UNAVAILABLE', ERROR_CODES.SERVICE_UNAVAILABLE);
    }
    return new ApiError(status, 'BAD_RESPONSE', CLIENT_ERROR_MESSAGES.BAD_RESPONSE);
  }
  // A code this client does not know yet is kept as BAD_RESPONSE but the server's message is still shown.
  const code = isErrorCode(error.code) ? error.code : 'BAD_RESPONSE';
  const message =
    typeof error.message === 'string' && error.message.trim() !== ''
      ? error.message
      : isErrorCode(code)
        ? ERROR_CODES[code]
        : CLIENT_ERROR_MESSAGES.BAD_RESPONSE;
  const fields: Record<string, string> = {};
  if (isRecord(error.fields)) {
    for (const [path, text] of Object.entries(error.fields)) {
      if (typeof text === 'string') fields[path] = text;
    }
  }
  return new ApiError(status, code, message, fields);
}

/** The message to show for anything thrown by an API call (or by our own code, as a last resort). */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return CLIENT_ERROR_MESSAGES.UNEXPECTED;
}

/** Per-field messages of a validation error, empty for any other error. */
export function fieldErrors(err: unknown): Record<string, string> {
  return err instanceof ApiError ? err.fields : {};
}
