import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Account } from '../modules/accounts/account.entity';
import { Employer } from '../modules/jobs/employer.entity';
import { PostingRow } from '../modules/jobs/posting.entity';
import { hashPassword } from '../modules/auth/password';
import { Cluster, startCluster } from '../replicas/harness';
import { Cleanup, type BenchEnv } from './env';
import { LoadThread, Member, Sent } from './chat-load';
import { analyzeChatTrace, chatTraceSetup, pct, sampleHostCpu } from './chat-trace';
import { cpuBusy } from './machine';
import { duration, num, yesNo } from './report';
import { BenchSection, Checks, SectionOutput } from './section';

/**
 * Group chats at the scale of issue 11: two replicas of the built API on the
 * section's database behind Debian's nginx with deploy/nginx.conf (the
 * replica tests' harness, src/replicas/harness.ts), 50 groups, 1,000 sockets
 * through nginx (wss, nginx's least_conn spreads them over the replicas),
 * 50 messages/s for 60 s from random members over HTTPS, then a broadcast
 * (one POST /chat/broadcasts) to 17 groups of 4,000 members in all. The sockets and the sender
 * live in worker threads (chat-load.ts), not in the thread that measures.
 * Checks: every acknowledged send stored once, the groups' seqs 1..last, every
 * socket holds every seq of its groups once and in order, every online member
 * got every message.
 */

const TARGETS = { fanoutP99Ms: 300, ackP99Ms: 150, broadcastP99Ms: 2000 };
const FULL = { groups: 50, sockets: 1000, perSecond: 50, seconds: 60, broadcastGroups: 17, broadcastMembers: 4000, threads: 2 };
const SMOKE = { groups: 3, sockets: 12, perSecond: 5, seconds: 3, broadcastGroups: 2, broadcastMembers: 20, threads: 1 };
/** Requests at a time while the accounts sign in and join (setup, not measured). */
const SETUP_CONCURRENCY = 12;

const ms = (x: number) => `${num(x, x < 10 ? 1 : 0)} ms`;

/** VmRSS of a process, in bytes. */
function rss(pid: number | null): number {
  if (!pid) return NaN;
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** An open posting of the county's supply list, for the broadcast's job card. */
async function benchPosting(env: BenchEnv): Promise<string> {
  const by = env.accountId;
  const employer = await env.ds.getRepository(Employer).save({ regionCode: env.countyCode, name: '基准制衣厂', industry: '制造业', locationRegionCode: env.countyCode, contactName: '韦经理', contactPhone: '0771-3520000', isPartnerRegion: false, createdBy: by, updatedBy: by });
  const day = 86_400_000;
  const posting = await env.ds.getRepository(PostingRow).save({
    employerId: employer.id,
    regionCode: env.countyCode,
    title: '车位工',
    categoryCode: 'manufacturing.general_worker',
    workRegionCode: env.villages[0].slice(0, 9),
    workPlaceName: '天等县',
    wageMin: 3200,
    wageMax: 4800,
    headcount: 50,
    ageMin: 18,
    ageMax: 55,
    sex: null,
    educationMin: null,
    skills: [],
    certificates: [],
    boardLodging: true,
    suitsDisabilities: [],
    isEastWest: false,
    validFrom: new Date(Date.now() - day).toISOString().slice(0, 10),
    validTo: new Date(Date.now() + 365 * day).toISOString().slice(0, 10),
    status: 'open',
    publishedAt: new Date(),
    description: null,
    createdBy: by,
    updatedBy: by,
  });
  return posting.id;
}

/** Runs `fn` over `items`, `k` at a time. */
async function pool<T, R>(items: T[], k: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(k, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i], i);
    }),
  );
  return out;
}

export const chatSection: BenchSection = {
  id: 'chat',
  title: 'Group chats on two replicas behind nginx',
  async run(env, log, scale): Promise<SectionOutput> {
    const size = scale === 'smoke' ? SMOKE : FULL;
    const checks = new Checks();
    const busy = await cpuBusy();
    const cleanup = new Cleanup();
    try {
      return await measure(env, log, size, checks, busy, cleanup);
    } finally {
      await cleanup.run();
    }
  },
};

async function measure(env: BenchEnv, log: (msg: string) => void, size: typeof FULL, checks: Checks, busy: number, cleanup: Cleanup): Promise<SectionOutput> {
  const village = env.villages[0];
  const password = 'bench-grid-leader-1234';
  const leaderAccount = await env.ds.getRepository(Account).save({ username: 'bench-grid-leader', passwordHash: await hashPassword(password), role: 'grid_leader', regionCode: village, name: '基准网格长' });

  // CHAT_TRACE=1: the replicas note where each send's time goes (bench/chat-trace.ts); off, nothing of it runs.
  const trace = chatTraceSetup();
  log(`starting two API replicas behind nginx (deploy/nginx.conf) on the section's database${trace ? `, traced into ${trace.dir}` : ''}`);
  const cluster: Cluster = await startCluster({
    database: { url: env.pgUrl },
    // Setup signs thousands in from one address; the socket count needs nginx room for two connections each.
    env: { JOB_WORKERS: 'false', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000', LOGIN_IP_MAX_FAILURES: '1000000', ACCESS_TOKEN_TTL_SECONDS: '3600', ...trace?.env },
    nginxConnections: Math.max(1024, 2 * size.sockets + 512),
  });
  cleanup.add('stop the cluster', () => cluster.stop());
  // Setup through nginx on kept-alive connections (a TLS handshake per request made it minutes).
  const agent = new https.Agent({ keepAlive: true, maxSockets: SETUP_CONCURRENCY, ca: cluster.ca });
  cleanup.add('close the setup connections', () => agent.destroy());
  const api = <T>(path: string, token: string | null, body?: object): Promise<T> =>
    new Promise((resolve, reject) => {
      const payload = body ? JSON.stringify(body) : undefined;
      const headers: Record<string, string | number> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) };
      const req = https.request(`${cluster.url}${path}`, { method: payload ? 'POST' : 'GET', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) >= 300) reject(new Error(`${path} answered ${res.statusCode}: ${text.slice(0, 300)}`));
          else resolve(JSON.parse(text) as T);
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  const leader = (await api<{ accessToken: string }>('/api/v1/auth/login', null, { username: leaderAccount.username, password })).accessToken;

  // Groups, each with an invite code; accounts sign in with WeChat (the local stand-in) and join by code, as workers do.
  const makeGroups = (n: number, prefix: string) =>
    pool(Array.from({ length: n }, (_, i) => i), 4, async (i) => {
      const g = await api<{ id: string }>('/api/v1/chat/groups', leader, { name: `${prefix}${i + 1}`, kind: 'community', regionCode: village });
      const { code } = await api<{ code: string }>(`/api/v1/chat/groups/${g.id}/invite-code`, leader, {});
      return { id: g.id, code };
    });
  const t0 = performance.now();
  const groups = await makeGroups(size.groups, '基准群');
  const bGroups = await makeGroups(size.broadcastGroups, '广播群');
  // The online accounts: each in one chat group and one broadcast group; the rest of the broadcast groups' members are offline.
  const signIn = async (joinCodes: string[], i: number) => {
    const { accessToken } = await api<{ accessToken: string }>('/api/v1/auth/wechat', null, { code: `chat-bench-${i}-${Math.random().toString(36).slice(2)}` });
    for (const code of joinCodes) await api('/api/v1/chat/join', accessToken, { code, displayName: `工友${i}` });
    return accessToken;
  };
  const online: Member[] = await pool(Array.from({ length: size.sockets }, (_, i) => i), SETUP_CONCURRENCY, async (i) => {
    const mine = [groups[i % groups.length], bGroups[i % bGroups.length]];
    return { token: await signIn(mine.map((g) => g.code), i), groups: mine.map((g) => g.id) };
  });
  const offline = Math.max(0, size.broadcastMembers - size.sockets);
  await pool(Array.from({ length: offline }, (_, i) => i), SETUP_CONCURRENCY, (i) => signIn([bGroups[i % bGroups.length].code], size.sockets + i));
  const setupSeconds = (performance.now() - t0) / 1000;
  log(`${groups.length} groups and ${bGroups.length} broadcast groups, ${num(size.sockets + offline)} accounts signed in and joined in ${duration(setupSeconds)}`);

  // Memory before and after the sockets open.
  await new Promise((r) => setTimeout(r, 1000));
  const rssBefore = cluster.replicas.map((r) => rss(r.pid));
  const upgradesBefore = cluster.accessLog().filter((l) => l.status === 101).length;
  const socketUrl = `${cluster.url.replace('https:', 'wss:')}/api/v1/chat/socket`;
  const clientThreads = Array.from({ length: size.threads }, (_, k) => new LoadThread({ role: 'clients', socketUrl, ca: cluster.ca, clients: online.filter((_, i) => i % size.threads === k) }));
  for (const t of clientThreads) cleanup.add('stop a client thread', () => t.stop());
  const t1 = performance.now();
  const connected = await Promise.all(clientThreads.map((t) => t.next('connected', 300_000)));
  const openSockets = connected.reduce((s, c) => s + c.sockets, 0);
  const connectSeconds = (performance.now() - t1) / 1000;
  checks.check(openSockets === size.sockets, `all ${num(size.sockets)} sockets open (hello answered with ready) through nginx`, `${openSockets} open; ${connected.flatMap((c) => c.failed).slice(0, 3).join('; ')}`);
  await new Promise((r) => setTimeout(r, 2000));
  const rssAfter = cluster.replicas.map((r) => rss(r.pid));
  log(`${openSockets} sockets open in ${duration(connectSeconds)}`);

  // The load: 50 messages/s for 60 s from random members.
  const sender = new LoadThread({ role: 'sender', baseUrl: cluster.url, ca: cluster.ca });
  cleanup.add('stop the sender thread', () => sender.stop());
  log(`sending ${size.perSecond} messages/s for ${size.seconds} s from random members`);
  // Into the 50 groups only (each member's first group): the broadcast groups get the broadcast alone.
  const host = trace ? sampleHostCpu() : null;
  sender.tell({ type: 'send', members: online.map((m) => ({ token: m.token, groups: [m.groups[0]] })), perSecond: size.perSecond, seconds: size.seconds });
  const load = await sender.next('sent', (size.seconds + 120) * 1000);

  // The broadcast: one posting's card into the 17 groups, one POST /chat/broadcasts by the grid leader.
  const postingId = await benchPosting(env);
  await new Promise((r) => setTimeout(r, 2000));
  log(`broadcast to ${bGroups.length} groups`);
  sender.tell({ type: 'broadcast', token: leader, postingId, groups: bGroups.map((g) => g.id) });
  const burst = await sender.next('sent', 60_000);

  // The truth: the table.
  const all = [...groups, ...bGroups].map((g) => g.id);
  const rows: Array<{ id: string; last_seq: string; n: number; distinct_clients: number }> = await env.ds.query(
    `SELECT g.id, g.last_seq, count(e.seq)::int AS n, count(DISTINCT coalesce(e.client_id, 'seq ' || e.seq))::int AS distinct_clients FROM chat_groups g LEFT JOIN chat_events e ON e.group_id = g.id WHERE g.id = ANY($1::uuid[]) GROUP BY g.id`,
    [all],
  );
  const last = Object.fromEntries(rows.map((r) => [r.id, Number(r.last_seq)]));
  for (const t of clientThreads) t.tell({ type: 'report', last, ms: 60_000 });
  const reports = await Promise.all(clientThreads.map((t) => t.next('report', 120_000)));
  // Which replica held each socket: nginx logs a WebSocket (status 101) when it closes.
  for (const t of clientThreads) await t.stop();
  const upgrades = async () => cluster.accessLog().filter((l) => l.status === 101).slice(upgradesBefore);
  for (let i = 0; i < 100 && (await upgrades()).length < openSockets; i++) await new Promise((r) => setTimeout(r, 50));
  const perReplica = cluster.replicas.map(() => 0);
  for (const l of await upgrades()) {
    const i = cluster.replicas.findIndex((r) => r.name === l.replica);
    if (i >= 0) perReplica[i]++;
  }
  checks.check(perReplica.every((n) => n > 0), 'sockets held by both replicas', `per replica: ${perReplica.join(', ')}`);

  const sentAll: Sent[] = [...load.sent, ...burst.sent];
  const storedEvents = rows.reduce((s, r) => s + r.n, 0);
  checks.check(burst.sent.length === bGroups.length, `the broadcast answered a seq in each of its ${bGroups.length} groups`, `${burst.sent.length} groups`);
  checks.check(load.failed.length === 0 && burst.failed.length === 0, 'every send and the broadcast acknowledged (201)', `${load.failed.length + burst.failed.length} failed, e.g. ${[...load.failed, ...burst.failed][0]}`);
  checks.check(
    storedEvents === sentAll.length && rows.every((r) => r.n === Number(r.last_seq) && r.distinct_clients === r.n),
    'every acknowledged send stored exactly once; each group\'s seqs are 1..last',
    `${storedEvents} stored for ${sentAll.length} acknowledged`,
  );
  const gaps = reports.reduce((s, r) => s + r.gaps, 0);
  const duplicates = reports.reduce((s, r) => s + r.duplicates, 0);
  const outOfOrder = reports.reduce((s, r) => s + r.outOfOrder, 0);
  const closed = reports.flatMap((r) => r.closed);
  checks.check(gaps === 0 && duplicates === 0 && outOfOrder === 0, 'every socket holds every seq of its groups against the table: 0 gaps, 0 duplicates, in order', `${gaps} gaps, ${duplicates} duplicates, ${outOfOrder} (socket, group) out of order`);
  checks.check(closed.length === 0, 'no socket closed during the run', `${closed.length} closed (codes ${[...new Set(closed)].join(', ')})`);

  // Latencies: fan-out is from the send until the last online member of its group has it.
  const receipts = new Map<string, number[]>();
  for (const r of reports) for (const [k, times] of r.receipts) receipts.set(k, [...(receipts.get(k) ?? []), ...times]);
  if (trace && host) {
    // The replicas write their notes every second.
    await new Promise((r) => setTimeout(r, 1500));
    const window = { start: Math.min(...load.sent.map((x) => x.at)), end: Math.max(...load.sent.map((x) => x.at + x.ackMs)) };
    analyzeChatTrace(trace.dir, load.sent, receipts, host.stop(), window, log);
  }
  const onlineIn = new Map<string, number>();
  for (const m of online) for (const g of m.groups) onlineIn.set(g, (onlineIn.get(g) ?? 0) + 1);
  let notEveryone = 0;
  const fanout: number[] = [];
  for (const s of load.sent) {
    const times = receipts.get(`${s.g}:${s.seq}`) ?? [];
    if (times.length !== (onlineIn.get(s.g) ?? 0)) notEveryone++;
    if (times.length) fanout.push(Math.max(...times) - s.at);
  }
  const bLatency: number[] = [];
  for (const s of burst.sent) {
    const times = receipts.get(`${s.g}:${s.seq}`) ?? [];
    if (times.length !== (onlineIn.get(s.g) ?? 0)) notEveryone++;
    const start = Math.min(...burst.sent.map((x) => x.at));
    for (const t of times) bLatency.push(t - start);
  }
  checks.check(notEveryone === 0, 'every message reached every online member of its group', `${notEveryone} messages missed someone`);
  const acks = load.sent.map((s) => s.ackMs);
  const bOnline = bGroups.reduce((s, g) => s + (onlineIn.get(g.id) ?? 0), 0);

  const memDelta = rssAfter.reduce((s, a, i) => s + a - rssBefore[i], 0);
  const perThousandMiB = (memDelta / Math.max(1, openSockets)) * 1000 / 1024 ** 2;
  const fanP50 = pct(fanout, 50);
  const fanP99 = pct(fanout, 99);
  const ackP50 = pct(acks, 50);
  const ackP99 = pct(acks, 99);
  const bP50 = pct(bLatency, 50);
  const bP99 = pct(bLatency, 99);
  const achieved = load.sent.length / size.seconds;

  const summary = [
    `${num(openSockets)} sockets (${perReplica.map((n, i) => `${cluster.replicas[i].name} ${n}`).join(', ')}), ${num(load.sent.length)} messages at ${num(achieved, 1)}/s`,
    `fan-out p50 ${ms(fanP50)}, p99 ${ms(fanP99)} (target ${TARGETS.fanoutP99Ms} ms); ack p99 ${ms(ackP99)} (target ${TARGETS.ackP99Ms} ms)`,
    `broadcast to ${bGroups.length} groups: p99 ${ms(bP99)} to ${num(bOnline)} online members`,
    `memory: ${num(perThousandMiB, 1)} MiB RSS per 1,000 sockets`,
    `gaps ${gaps}, duplicates ${duplicates}`,
  ];
  const markdown = `## Group chats on two replicas behind nginx

Issue 11's benchmark (\`npm run bench -- chat\`). Two replicas of the built API (\`apps/api/dist/server.js\`) on this section's database, behind Debian's nginx running \`deploy/nginx.conf\` (TLS, WebSocket upgrade, \`least_conn\`), as the two-replica tests start them (\`src/replicas/harness.ts\`). ${num(size.groups)} community groups; ${num(size.sockets)} worker accounts signed in with WeChat (the local stand-in) and joined by invite code, each in one of the groups (${num(size.sockets / size.groups)} a group), each holding one socket (\`wss://\` through nginx, hello with its token, as the mini-program). The sockets live in ${size.threads} worker threads and the sender in another (\`src/bench/chat-load.ts\`), so the measuring thread is not the one busy; everything shares this machine's ${os.cpus().length} cores with the replicas, nginx and PostgreSQL. **Load:** ${size.perSecond} messages/s for ${size.seconds} s (open loop: message *i* leaves at *i*/${size.perSecond} s whatever the others are doing), each from a random member into their group, \`POST /chat/groups/:id/messages\` over HTTPS through nginx. **Fan-out latency:** from the moment the request leaves until the last online member of the group has the event on its socket (both replicas' sockets; one clock for all threads). **Broadcast:** ${num(size.broadcastGroups)} more groups with ${num(Math.max(size.broadcastMembers, size.sockets))} members in all, of whom ${num(bOnline)} are online (each socket's account is also in one broadcast group; the other ${num(offline)} members have no socket: ${num(size.sockets)} sockets is what this run holds beside the load on ${os.cpus().length} cores); the grid leader sends one posting's job card to all of them with one \`POST /chat/broadcasts\` (one transaction, a seq in each group); latency from that request until each online member has its group's card, and the request's own acknowledgement. **Memory:** the replicas' RSS (\`/proc/<pid>/status\`) just before the sockets opened and just after, summed over both. **Checks** (a failure fails the run): every acknowledged send is stored once and each group's seqs are 1..last; at the end every socket holds every seq of each of its groups, compared with \`chat_groups.last_seq\`, once and in order; every message reached every online member of its group; no socket closed. \`CHAT_TRACE=1 npm run bench -- chat\` also logs where the time goes (each phase of a send's acknowledgement and fan-out, the replicas' event-loop stalls and GC pauses; \`src/bench/chat-trace.ts\`); its figures are not this table's.

| metric | result | target | met? |
|---|---|---|---|
| Sockets open through nginx | ${num(openSockets)} (${perReplica.map((n, i) => `${cluster.replicas[i].name}: ${num(n)}`).join(', ')} sockets) in ${duration(connectSeconds)} |  |  |
| Messages sent | ${num(load.sent.length)} in ${size.seconds} s = ${num(achieved, 1)}/s (${num(load.skipped)} draws passed over a member at the per-member limit) |  |  |
| Fan-out latency, send until every online member has it: p50 / p90 / p99 / max | ${ms(fanP50)} / ${ms(pct(fanout, 90))} / **${ms(fanP99)}** / ${ms(Math.max(...fanout))} | p99 ≤ ${TARGETS.fanoutP99Ms} ms | ${yesNo(fanP99 <= TARGETS.fanoutP99Ms)} |
| Send acknowledgement (HTTP 201): p50 / p99 / max | ${ms(ackP50)} / **${ms(ackP99)}** / ${ms(Math.max(...acks))} | p99 ≤ ${TARGETS.ackP99Ms} ms | ${yesNo(ackP99 <= TARGETS.ackP99Ms)} |
| Gaps / duplicates / out of order, over every socket and group | ${gaps} / ${duplicates} / ${outOfOrder} | 0 / 0 / 0 | ${yesNo(gaps + duplicates + outOfOrder === 0)} |
| Broadcast to ${num(size.broadcastGroups)} groups (${num(bOnline)} of ${num(Math.max(size.broadcastMembers, size.sockets))} members online): p50 / p99 / max to each online member | ${ms(bP50)} / **${ms(bP99)}** / ${ms(Math.max(...bLatency))} | p99 ≤ ${num(TARGETS.broadcastP99Ms)} ms | ${yesNo(bP99 <= TARGETS.broadcastP99Ms)} |
| Broadcast acknowledgement (one \`POST /chat/broadcasts\`, ${num(size.broadcastGroups)} groups) | ${ms(burst.sent[0]?.ackMs ?? NaN)} |  |  |
| Memory per 1,000 open sockets (RSS delta of both replicas) | ${num(perThousandMiB, 1)} MiB (${rssBefore.map((b, i) => `${cluster.replicas[i].name} ${num(b / 1024 ** 2)} → ${num(rssAfter[i] / 1024 ** 2)} MiB`).join(', ')}) |  |  |
| Setup (accounts signed in and joined, not measured) | ${num(size.sockets + offline)} accounts in ${duration(setupSeconds)} |  |  |

CPU busy with other work just before this section: ${Math.round(busy * 100)} %.`;
  return { markdown, summary, checked: checks.checked, problems: checks.problems };
}
