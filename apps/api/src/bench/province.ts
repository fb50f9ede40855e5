import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../config';
import { NotificationsService } from '../modules/notifications/notifications.service';
import { HttpWeChatClient } from '../wechat/wechat-client';
import { startWeChatStandIn } from '../wechat/wechat-stand-in';
import type { BenchEnv } from './env';
import { provinceMatching } from './province-matching';
import { mdTable } from './report';
import { BenchScale, BenchSection, Checks, SectionOutput } from './section';
import { measureProvinceLists } from './province-lists';
import { provinceFeed } from './province-feed';
import { syncOpenLoop } from './sync-open-loop';

/** One measurement of the province section: its part of the report (from a `### Title`) and its summary lines; its checks go into `checks`. */
export interface ProvinceMeasurement {
  markdown: string;
  summary: string[];
}
type ProvinceMeasure = (env: BenchEnv, log: (msg: string) => void, scale: BenchScale, checks: Checks) => Promise<ProvinceMeasurement>;

/**
 * The province benchmark (issue 15): its measurements, one after another on
 * the same database, each in a file of its own (one line each here), with the
 * name PROVINCE_PARTS knows it by and the heading of its part of the report.
 */
const MEASUREMENTS: Array<{ part: string; heading: string; measure: ProvinceMeasure }> = [
  { part: 'delivery', heading: '### Delivery', measure: delivery },
  { part: 'matching', heading: '### Matching by county', measure: provinceMatching },
  { part: 'lists', heading: '### List first pages with their totals', measure: measureProvinceLists },
  { part: 'feed', heading: '### The change feed by area', measure: provinceFeed },
  { part: 'sync', heading: '### Sync under load, open loop', measure: syncOpenLoop },
];

/**
 * PROVINCE_PARTS (opt-in, e.g. `PROVINCE_PARTS=matching`): only these measurements run (a full province run takes
 * a quarter of an hour of the whole machine); the report keeps the other parts as the last run wrote them.
 */
function chosenParts(): Set<string> | null {
  const raw = (process.env.PROVINCE_PARTS ?? '').trim();
  if (!raw) return null;
  const parts = new Set(raw.split(',').map((x) => x.trim()).filter(Boolean));
  const unknown = [...parts].filter((x) => !MEASUREMENTS.some((m) => m.part === x));
  if (unknown.length) throw new Error(`PROVINCE_PARTS: unknown part ${unknown.join(', ')}; the parts are ${MEASUREMENTS.map((m) => m.part).join(', ')}`);
  return parts;
}

/** The parts of the province section docs/benchmarks.md holds now, by heading (what a run of some parts keeps of the others). */
function writtenParts(): Map<string, string> {
  const file = path.join(REPO_ROOT, 'docs/benchmarks.md');
  const doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const i = doc.indexOf('<!-- bench:province:start -->');
  const j = doc.indexOf('<!-- bench:province:end -->');
  const out = new Map<string, string>();
  if (i < 0 || j < i) return out;
  const body = doc.slice(i, j);
  const starts = MEASUREMENTS.map((m) => ({ heading: m.heading, at: body.indexOf(`\n${m.heading}\n`) })).filter((x) => x.at >= 0).sort((a, b) => a.at - b.at);
  starts.forEach((x, k) => out.set(x.heading, body.slice(x.at + 1, k + 1 < starts.length ? starts[k + 1].at : body.length).trim()));
  return out;
}

/**
 * The delivery run: N due WeChat
 * messages (one per bound worker, each with a subscription) delivered by the
 * real WeChat client to a local HTTP stand-in of WeChat's API that answers each
 * send after 50 ms, through the delivery job's own code (deliverDue, runs one
 * after another until none is due). Checked: every message reached the
 * stand-in exactly once, every row is `sent`, the calls in flight never passed
 * WECHAT_CONCURRENCY.
 */
const FULL = { messages: 300_000, delayMs: 50, concurrency: 32 };
const SMOKE = { messages: 2_000, delayMs: 5, concurrency: 32 };
const TARGET_SECONDS = 600;

export const provinceSection: BenchSection = {
  id: 'province',
  title: 'A province on the same design',
  // The delivery run measures its own deliverer: the app's every-minute one would take seeded messages through its local WeChat client.
  env: { deliverySchedule: false },
  async run(env, log, scale): Promise<SectionOutput> {
    const checks = new Checks();
    const chosen = chosenParts();
    const kept = chosen ? writtenParts() : new Map<string, string>();
    const parts: ProvinceMeasurement[] = [];
    for (const { part, heading, measure } of MEASUREMENTS) {
      if (!chosen || chosen.has(part)) parts.push(await measure(env, log, scale, checks));
      else if (kept.has(heading)) parts.push({ markdown: kept.get(heading)!, summary: [] });
      else log(`PROVINCE_PARTS: ${part} not run, and docs/benchmarks.md has no part of it to keep`);
    }
    return {
      markdown: `## A province on the same design\n\n${parts.map((p) => p.markdown.trim()).join('\n\n')}\n`,
      summary: parts.flatMap((p) => p.summary),
      checked: checks.checked,
      problems: checks.problems,
    };
  },
};

async function delivery(env: BenchEnv, log: (msg: string) => void, scale: BenchScale, checks: Checks): Promise<ProvinceMeasurement> {
  const size = scale === 'smoke' ? SMOKE : FULL;
  log(`seeding ${size.messages.toLocaleString('en')} bound workers, subscriptions and due WeChat messages`);
  await env.ds.query(
    `INSERT INTO accounts (username, role, region_code, name, wechat_openid)
     SELECT NULL, 'worker', NULL, '基准工人' || i, 'bench-openid-' || i FROM generate_series(1, $1) AS i`,
    [size.messages],
  );
  await env.ds.query(`INSERT INTO wechat_subscriptions (account_id, template_key) SELECT id, 'job_recommendation' FROM accounts WHERE wechat_openid LIKE 'bench-openid-%'`);
  await env.ds.query(
    `INSERT INTO notifications (account_id, kind, title, body, data, dedupe_key, wechat_status, next_attempt_at)
     SELECT a.id, 'recommendation', '新岗位', '有新的岗位推荐', jsonb_build_object('wechat', jsonb_build_object('template', 'job_recommendation', 'page', 'pages/worker/index', 'fields', jsonb_build_object('id', a.wechat_openid))),
            'bench-delivery:' || a.id, 'pending', now()
     FROM accounts a WHERE a.wechat_openid LIKE 'bench-openid-%'`,
  );
  await env.ds.query('ANALYZE accounts, wechat_subscriptions, notifications');

  const standIn = await startWeChatStandIn({ delayMs: size.delayMs });
  try {
    const config = { ...env.app.config, wechatConcurrency: size.concurrency };
    const service = new NotificationsService(env.ds, new HttpWeChatClient('bench-app', 'bench-secret', standIn.url), config, env.app.queue);
    log(`delivering through the stand-in (${size.delayMs} ms per send, ${size.concurrency} in flight)`);
    const rss0 = process.memoryUsage().rss;
    let peakRss = rss0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 500);
    const t0 = performance.now();
    let runs = 0;
    let handed = 0;
    try {
      for (let n = await service.deliverDue(); n > 0; n = await service.deliverDue()) {
        runs++;
        handed += n;
        log(`  run ${runs}: ${n.toLocaleString('en')} sent (${handed.toLocaleString('en')} in all)`);
      }
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - t0) / 1000;
    const [{ sent, other }] = await env.ds.query(
      `SELECT count(*) FILTER (WHERE wechat_status = 'sent')::int AS sent, count(*) FILTER (WHERE wechat_status <> 'sent')::int AS other FROM notifications WHERE dedupe_key LIKE 'bench-delivery:%'`,
    );
    const twice = [...standIn.received.values()].filter((c) => c > 1).length;
    checks.check(sent === size.messages && other === 0, `all ${size.messages.toLocaleString('en')} messages sent`, `${sent} sent, ${other} not`);
    checks.check(standIn.received.size === size.messages && twice === 0, 'each message reached WeChat exactly once', `${standIn.received.size} distinct, ${twice} more than once`);
    checks.check(standIn.peakInFlight <= size.concurrency, `never more than ${size.concurrency} sends in flight`, `peak ${standIn.peakInFlight}`);
    const rate = size.messages / seconds;
    const markdown = `### Delivery

The delivery run of issue 15: ${size.messages.toLocaleString('en')} due WeChat subscribe messages (one per bound
worker, each with a one-time subscription) sent by the real WeChat client (\`HttpWeChatClient\`) to a local HTTP
stand-in of WeChat's API started by the benchmark, which answers every send after ${size.delayMs} ms; the delivery
job's own code (\`deliverDue\`: claims of max(100, 8 x concurrency) due rows a statement, ${size.concurrency} calls in flight,
answers written a batch per transaction), one run after another until nothing is due (a run ends after 50,000).
Checked: every message reached the stand-in exactly once, every row is \`sent\`, the calls in flight never passed
${size.concurrency}. The lower bound at this concurrency is ${Math.round((size.messages / size.concurrency) * size.delayMs / 1000)} s
(${size.messages.toLocaleString('en')} / ${size.concurrency} x ${size.delayMs} ms).

${mdTable(
  ['metric', 'result', 'target'],
  [
  ['messages delivered', size.messages.toLocaleString('en'), ''],
  ['time', `${seconds.toFixed(1)} s`, `under ${TARGET_SECONDS} s`],
  ['rate', `${Math.round(rate).toLocaleString('en')} messages/s`, ''],
  ['peak calls in flight', String(standIn.peakInFlight), `at most ${size.concurrency}`],
  ['delivery runs', String(runs), ''],
  ['peak RSS of the delivering process', `${Math.round(peakRss / 1048576)} MB`, ''],
  ],
)}
`;
    return {
      markdown,
      summary: [`province delivery: ${size.messages.toLocaleString('en')} messages in ${seconds.toFixed(1)} s (${Math.round(rate)}/s, target under ${TARGET_SECONDS} s), peak in flight ${standIn.peakInFlight}`],
    };
  } finally {
    await standIn.close();
  }
}
