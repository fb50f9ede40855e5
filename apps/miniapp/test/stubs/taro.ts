/**
 * A fake of the platform Taro wraps (wx.* in a mini-program, fetch and
 * localStorage in H5): the part outside our code. Tests script `platform.respond`
 * as the server and read back what was requested, stored and navigated to.
 */

export interface FakeRequest {
  url: string;
  method: string;
  data: unknown;
  header: Record<string, string>;
}

export interface FakeResponse {
  statusCode: number;
  data?: unknown;
}

/** Answers a request; throwing stands for a request that never got an HTTP answer. */
export type Responder = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export const platform = {
  storage: new Map<string, string>(),
  requests: [] as FakeRequest[],
  /** URLs passed to reLaunch, in order. */
  relaunches: [] as string[],
  respond: (() => {
    throw new Error('no responder set');
  }) as Responder,
  loginCode: 'wx-login-code',
  routerParams: {} as Record<string, string>,
  /** What getLocation answers (a value resolves, a thrown error rejects); the options of each call. */
  location: (() => {
    throw { errMsg: 'getLocation:fail auth deny' };
  }) as (opts: { type?: string }) => unknown,
  locationCalls: [] as Array<{ type?: string }>,
  /** What showModal answers (a thrown error rejects, as when the dialog can't open); the options of each call. */
  modal: (() => ({ confirm: true, cancel: false })) as (opts: { title?: string; content?: string }) => { confirm: boolean; cancel: boolean },
  modalCalls: [] as Array<{ title?: string; content?: string; confirmText?: string; cancelText?: string }>,

  reset(): void {
    this.storage.clear();
    this.requests = [];
    this.relaunches = [];
    this.respond = () => {
      throw new Error('no responder set');
    };
    this.loginCode = 'wx-login-code';
    this.routerParams = {};
    this.locationCalls = [];
    this.modalCalls = [];
    this.modal = () => ({ confirm: true, cancel: false });
    this.location = () => {
      throw { errMsg: 'getLocation:fail auth deny' };
    };
  },
};

interface RequestOptions {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
}

const Taro = {
  async request(options: RequestOptions) {
    const req: FakeRequest = {
      url: options.url,
      method: options.method ?? 'GET',
      // What goes over the wire is JSON, so the server side never shares objects with the client.
      data: options.data === undefined ? undefined : JSON.parse(JSON.stringify(options.data)),
      header: { ...(options.header ?? {}) },
    };
    platform.requests.push(req);
    await Promise.resolve();
    let res: FakeResponse;
    try {
      res = await platform.respond(req);
    } catch {
      throw { errMsg: 'request:fail' };
    }
    return { statusCode: res.statusCode, data: res.data ?? '', header: {}, errMsg: 'request:ok' };
  },

  // wx storage keeps values serialized and answers '' for a missing key.
  getStorageSync(key: string): unknown {
    const raw = platform.storage.get(key);
    return raw === undefined ? '' : JSON.parse(raw);
  },
  setStorageSync(key: string, value: unknown): void {
    platform.storage.set(key, JSON.stringify(value));
  },
  removeStorageSync(key: string): void {
    platform.storage.delete(key);
  },

  async reLaunch({ url }: { url: string }) {
    platform.relaunches.push(url);
    return { errMsg: 'reLaunch:ok' };
  },

  async login() {
    return { code: platform.loginCode, errMsg: 'login:ok' };
  },

  async getLocation(opts: { type?: string }) {
    platform.locationCalls.push(opts);
    return platform.location(opts);
  },

  async showModal(opts: { title?: string; content?: string; confirmText?: string; cancelText?: string }) {
    platform.modalCalls.push(opts);
    return { ...platform.modal(opts), errMsg: 'showModal:ok' };
  },

  arrayBufferToBase64(buffer: ArrayBuffer): string {
    return Buffer.from(buffer).toString('base64');
  },

  useRouter() {
    return { params: platform.routerParams, path: '' };
  },
};

export const useRouter = Taro.useRouter;
export default Taro;
