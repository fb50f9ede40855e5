import http from 'node:http';

/**
 * A local HTTP stand-in of WeChat's server API for HttpWeChatClient (tests and
 * the province benchmark; WeChat itself is unreachable here): stable_token,
 * jscode2session and subscribe/send, each answered after `delayMs`. It counts
 * the sends in flight (and their peak) and every message received, by its
 * `data.id` keyword when it has one, so callers can check the concurrency bound
 * and that nothing arrived twice.
 */
export interface WeChatStandIn {
  /** e.g. http://127.0.0.1:40123, HttpWeChatClient's base URL. */
  readonly url: string;
  /** Sends in flight right now, and the most there ever were at once. */
  readonly inFlight: number;
  readonly peakInFlight: number;
  /** Sends answered so far. */
  readonly sent: number;
  /** How often each `data.id` keyword was received. */
  readonly received: Map<string, number>;
  /** Starts counting the peak afresh. */
  resetPeak(): void;
  close(): Promise<void>;
}

export async function startWeChatStandIn(opts: { delayMs?: number } = {}): Promise<WeChatStandIn> {
  const delayMs = opts.delayMs ?? 0;
  const state = { inFlight: 0, peakInFlight: 0, sent: 0, received: new Map<string, number>() };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const answer = (body: object) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/cgi-bin/stable_token') return answer({ access_token: 'stand-in-token', expires_in: 7200 });
      if (url.pathname === '/sns/jscode2session') return answer({ openid: `stand-in-${url.searchParams.get('js_code')}` });
      if (url.pathname !== '/cgi-bin/message/subscribe/send') return answer({ errcode: 404, errmsg: 'no such api' });
      state.inFlight++;
      state.peakInFlight = Math.max(state.peakInFlight, state.inFlight);
      setTimeout(() => {
        state.inFlight--;
        state.sent++;
        try {
          const msg = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: { id?: { value?: string } } };
          const id = msg.data?.id?.value;
          if (id) state.received.set(id, (state.received.get(id) ?? 0) + 1);
        } catch {
          return answer({ errcode: 47001, errmsg: 'data format error' });
        }
        answer({ errcode: 0, errmsg: 'ok' });
      }, delayMs);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    get inFlight() {
      return state.inFlight;
    },
    get peakInFlight() {
      return state.peakInFlight;
    },
    get sent() {
      return state.sent;
    },
    received: state.received,
    resetPeak: () => {
      state.peakInFlight = state.inFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
