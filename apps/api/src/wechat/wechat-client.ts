import crypto from 'node:crypto';
import { AppError } from '../errors';

/** What WeChat's code2session tells us about a mini-program user. */
export interface WeChatIdentity {
  openid: string;
  unionid?: string;
}

/** One subscribe message (订阅消息) to one user. */
export interface SubscribeMessage {
  openid: string;
  templateId: string;
  /** Mini-program page the message opens, e.g. `pages/worker/job?id=...`. */
  page: string;
  /** Template keywords, e.g. { thing1: '电子装配工', amount2: '4500元' }; values are cut to WeChat's limits by the caller. */
  data: Record<string, string>;
}

/**
 * How a send went: sent, or why not and whether trying again later can help. `uncertain`: the request may have
 * reached WeChat and no answer came (a timeout, a connection cut mid-way): it may have been delivered, so it is
 * never sent again (at most once) and its one-time subscription counts as used.
 */
export type SendResult = { ok: true } | { ok: false; retryable: boolean; error: string; uncertain?: true };

/**
 * Every call to WeChat's servers goes through this interface, so demo and tests
 * run with the local stand-in (WeChat is unreachable here) and production with
 * the real one.
 */
export interface WeChatClient {
  /** Exchanges a `wx.login` code for the user's openid. Throws WECHAT_LOGIN_FAILED on a bad code. */
  code2Session(code: string): Promise<WeChatIdentity>;
  /** Sends one subscribe message; never throws for WeChat's refusals or network failures. */
  sendSubscribeMessage(msg: SubscribeMessage): Promise<SendResult>;
}

/** WeChat error codes that will not change on a retry (refused subscription, bad openid or template, bad data). */
const PERMANENT_ERRCODES = new Set([40003, 40037, 41030, 43101, 47003]);

/** Network failures before a connection existed: the request never left, so a retry can't make a second message. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const causeCode = (err: unknown): string | undefined => {
  const code = (err as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' ? code : undefined;
};

/** The real client: https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html */
export class HttpWeChatClient implements WeChatClient {
  constructor(
    private readonly appId: string,
    private readonly secret: string,
    private readonly baseUrl = 'https://api.weixin.qq.com',
    /** How long a call may take before it is given up (a send given up this way is `uncertain`). */
    private readonly timeoutMs = 5000,
  ) {}

  async code2Session(code: string): Promise<WeChatIdentity> {
    const url = new URL('/sns/jscode2session', this.baseUrl);
    url.search = new URLSearchParams({ appid: this.appId, secret: this.secret, js_code: code, grant_type: 'authorization_code' }).toString();
    let body: { openid?: string; unionid?: string; errcode?: number; errmsg?: string };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
      body = (await res.json()) as typeof body;
    } catch {
      throw new AppError('SERVICE_UNAVAILABLE', '无法连接微信服务器，请稍后再试');
    }
    if (!body.openid || body.errcode) throw new AppError('WECHAT_LOGIN_FAILED');
    return { openid: body.openid, ...(body.unionid ? { unionid: body.unionid } : {}) };
  }

  private token: { value: string; expiresAt: number } | null = null;

  /** The interface-call credential, from getStableAccessToken (safe to call from several replicas), cached until shortly before expiry. */
  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now()) return this.token.value;
    const res = await fetch(new URL('/cgi-bin/stable_token', this.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: this.appId, secret: this.secret }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = (await res.json()) as { access_token?: string; expires_in?: number; errcode?: number; errmsg?: string };
    if (!body.access_token) throw new Error(`stable_token: ${body.errcode} ${body.errmsg}`);
    this.token = { value: body.access_token, expiresAt: Date.now() + ((body.expires_in ?? 7200) - 300) * 1000 };
    return body.access_token;
  }

  /** https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html */
  async sendSubscribeMessage(msg: SubscribeMessage): Promise<SendResult> {
    const url = new URL('/cgi-bin/message/subscribe/send', this.baseUrl);
    try {
      url.searchParams.set('access_token', await this.accessToken());
    } catch (err) {
      // No credential, so no message went out: safe to try again later.
      return { ok: false, retryable: true, error: `access token: ${(err as Error).message}`.slice(0, 200) };
    }
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          touser: msg.openid,
          template_id: msg.templateId,
          page: msg.page,
          miniprogram_state: 'formal',
          lang: 'zh_CN',
          data: Object.fromEntries(Object.entries(msg.data).map(([k, v]) => [k, { value: v }])),
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const body = (await res.json()) as { errcode?: number; errmsg?: string };
      if (!body.errcode) return { ok: true };
      if (body.errcode === 40001 || body.errcode === 42001) this.token = null;
      return { ok: false, retryable: !PERMANENT_ERRCODES.has(body.errcode), error: `${body.errcode} ${body.errmsg ?? ''}`.trim() };
    } catch (err) {
      const code = causeCode(err);
      if (code && NOT_CONNECTED.has(code)) return { ok: false, retryable: true, error: `${code}: not connected`.slice(0, 200) };
      // Sent, or partly, with no answer: WeChat may have delivered it.
      return { ok: false, retryable: false, uncertain: true, error: `uncertain: ${(err as Error).name} ${code ?? ''} ${(err as Error).message}`.replace(/\s+/g, ' ').slice(0, 200) };
    }
  }
}

/**
 * The local stand-in for demo and tests: any well-formed code signs in, and the
 * same code always maps to the same openid. Refused in production (config.ts).
 */
export class LocalWeChatClient implements WeChatClient {
  /** Messages "sent", newest last (the demo server logs them; tests read them). */
  readonly sent: SubscribeMessage[] = [];
  private failures: SendResult[] = [];

  /** Makes the next sends fail like WeChat would (tests of retries and give-ups). */
  failNext(...results: Array<Extract<SendResult, { ok: false }>>): void {
    this.failures.push(...results);
  }

  async sendSubscribeMessage(msg: SubscribeMessage): Promise<SendResult> {
    const failure = this.failures.shift();
    if (failure) return failure;
    this.sent.push(msg);
    return { ok: true };
  }

  async code2Session(code: string): Promise<WeChatIdentity> {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(code)) throw new AppError('WECHAT_LOGIN_FAILED');
    return { openid: LocalWeChatClient.openidFor(code) };
  }

  /** The openid the stand-in gives a code; the demo seed uses it to pre-create workers. */
  static openidFor(code: string): string {
    return 'local_' + crypto.createHash('sha256').update(code).digest('hex').slice(0, 28);
  }
}
