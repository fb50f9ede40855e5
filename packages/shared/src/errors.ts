/**
 * Error codes of the API's single error shape `{ error: { code, message, fields? } }`.
 * The client switches on `code`; `message` is Chinese text fit to show a user;
 * `fields` maps a field path (e.g. `members.0.name`) to what is wrong with it.
 */
export const ERROR_CODES = {
  /** The request body, query or params failed validation; see `fields`. */
  VALIDATION_FAILED: '提交的内容有误',
  /** No valid access token was sent, or it expired or was revoked. */
  UNAUTHENTICATED: '请先登录',
  /** Username or password wrong (deliberately not saying which). */
  INVALID_CREDENTIALS: '用户名或密码错误',
  /** Too many failed logins for this account; it is locked for a while. */
  ACCOUNT_LOCKED: '登录失败次数过多，账号已临时锁定，请稍后再试',
  /** The account was disabled by a manager. */
  ACCOUNT_DISABLED: '账号已停用，请联系管理员',
  /** The refresh token is unknown, expired, revoked or was already used. */
  INVALID_REFRESH_TOKEN: '登录已失效，请重新登录',
  /** The password was set by someone else; POST /auth/password must change it before any other request. */
  PASSWORD_CHANGE_REQUIRED: '密码由他人设置，请先修改密码',
  /** The caller's role may not do this at all. */
  FORBIDDEN: '没有权限执行此操作',
  /** The target lies outside the caller's area. */
  OUT_OF_AREA: '超出本账号的服务区域',
  /** Nothing with that id (or nothing the caller may see). */
  NOT_FOUND: '未找到',
  /** A unique value (e.g. a username) is already taken. */
  CONFLICT: '数据冲突',
  /** A worker's account is not yet bound to a laborer record. */
  NOT_BOUND: '尚未绑定本人的劳动力信息，请向村信息员获取绑定码',
  /** The record is in a state that does not allow this (e.g. feedback on a closed recommendation). */
  INVALID_STATE: '当前状态不能执行此操作',
  /** The device's place in the change feed is older than the feed keeps (GET /sync/changes): it starts again from a snapshot of its area. */
  FEED_CURSOR_EXPIRED: '本机的区域数据太久没有更新，需要重新下载本区域的数据',
  /** An uploaded file has errors; the response lists them row by row. */
  IMPORT_INVALID: '导入文件有错误，请按错误清单修改后重新导入',
  /** Too many requests from this address or for this account. */
  RATE_LIMITED: '请求过于频繁，请稍后再试',
  /** WeChat sign-in failed (bad or used code). */
  WECHAT_LOGIN_FAILED: '微信登录失败，请重试',
  /** The database is unreachable or another dependency failed. */
  SERVICE_UNAVAILABLE: '服务暂时不可用，请稍后再试',
  /** Anything unexpected; details are in the server log, never in the response. */
  INTERNAL: '服务器内部错误',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The body of every error response. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    fields?: Record<string, string>;
  };
}
