import crypto from 'node:crypto';
import { AppError } from '../errors';

/** What WeChat's code2session tells us about a mini-program user. */
export interface WeChatIdentity {
  openid: string;
  unionid?: string;
}

/**
 * Every call to WeChat's servers goes through this interface, so demo and tests
 * run with the local stand-in (WeChat is unreachable here) and production with
 * the real one. Subscribe messages join it with the recommendations push.
 */
export interface WeChatClient {
  /** Exchanges a `wx.login` code for the user's openid. Throws WECHAT_LOGIN_FAILED on a bad code. */
  code2Session(code: string): Promise<WeChatIdentity>;
}

/** The real client: https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html */
export class HttpWeChatClient implements WeChatClient {
  constructor(
    private readonly appId: string,
    private readonly secret: string,
    private readonly baseUrl = 'https://api.weixin.qq.com',
  ) {}

  async code2Session(code: string): Promise<WeChatIdentity> {
    const url = new URL('/sns/jscode2session', this.baseUrl);
    url.search = new URLSearchParams({ appid: this.appId, secret: this.secret, js_code: code, grant_type: 'authorization_code' }).toString();
    let body: { openid?: string; unionid?: string; errcode?: number; errmsg?: string };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      body = (await res.json()) as typeof body;
    } catch {
      throw new AppError('SERVICE_UNAVAILABLE', '无法连接微信服务器，请稍后再试');
    }
    if (!body.openid || body.errcode) throw new AppError('WECHAT_LOGIN_FAILED');
    return { openid: body.openid, ...(body.unionid ? { unionid: body.unionid } : {}) };
  }
}

/**
 * The local stand-in for demo and tests: any well-formed code signs in, and the
 * same code always maps to the same openid. Refused in production (config.ts).
 */
export class LocalWeChatClient implements WeChatClient {
  async code2Session(code: string): Promise<WeChatIdentity> {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(code)) throw new AppError('WECHAT_LOGIN_FAILED');
    return { openid: LocalWeChatClient.openidFor(code) };
  }

  /** The openid the stand-in gives a code; the demo seed uses it to pre-create workers. */
  static openidFor(code: string): string {
    return 'local_' + crypto.createHash('sha256').update(code).digest('hex').slice(0, 28);
  }
}
