import type { DataSource, EntityManager } from 'typeorm';
import { NotificationKind, SUBSCRIBE_TEMPLATES, SubscribeTemplateKey } from '@jobbridge/shared';
import { PersonalData } from '../../access/personal-data';
import type { AppConfig } from '../../config';
import type { SendResult, SubscribeMessage, WeChatClient } from '../../wechat/wechat-client';
import { JobQueue, QUEUES } from '../queue/job-queue';
import { enterKeyGate, keyGate } from '../../db/partitions';
import type { NotificationData } from './inbox.schemas';

/** What to tell a worker: a kind of the table in inbox.schemas.ts, with data of that kind's shape. */
export type NewNotification = {
  [K in NotificationKind]: {
    accountId: string;
    kind: K;
    title: string;
    body: string;
    /** Where the inbox entry leads, e.g. { recommendationId }. */
    data?: NotificationData<K>;
    /** Makes the notification exist once, however often the cause repeats (e.g. `rec:<laborer>:<ids>`). */
    dedupeKey: string;
    /** Also send it as this WeChat subscribe message, if the worker granted one. */
    wechat?: { template: SubscribeTemplateKey; page: string; fields: Record<string, string> };
  };
}[NotificationKind];

/** First retry after 30 s, then doubling. */
const RETRY_BASE_SECONDS = 30;
/** A send handed to WeChat whose answer was never recorded (crash) is given up after this long. */
const STALE_SENDING_MINUTES = 10;
/** Due messages one claim statement takes at least (and eight times the calls in flight). */
const CLAIM_BATCH = 100;
/** Messages one delivery run hands to WeChat before it ends (the next run, a minute later at most, goes on). */
const DELIVERY_RUN_LIMIT = 50_000;

/**
 * The notification outbox. Every notification goes to the in-app inbox, in
 * the transaction of its cause; those with a WeChat template are also sent as
 * a subscribe message by the delivery job, using up one of the worker's
 * one-time subscriptions. A send is at most once: the row is marked
 * `sending` and committed before WeChat is called, so a crash mid-call never
 * sends it again; WeChat's transient errors are retried with backoff.
 */
export class NotificationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly wechat: WeChatClient,
    private readonly config: AppConfig,
    private readonly queue: JobQueue,
  ) {}

  /**
   * Adds a notification in `pd`'s transaction, for a worker whose laborer (or
   * correction request) the caller reaches, nothing otherwise; a second one with the same dedupeKey
   * is ignored. Returns whether it was new.
   */
  notify(pd: PersonalData, n: NewNotification): Promise<boolean> {
    return this.insertIf(pd, n, 'worker');
  }

  /**
   * Adds a chat notification (NotificationKind `chat`) in `m`'s transaction for a worker who is a current
   * member of `groupId` (background work: the offline reach of a group's message decided who); a second one
   * with the same dedupeKey is ignored. Returns whether it was new.
   */
  notifyChatMember(m: EntityManager, groupId: string, n: Extract<NewNotification, { kind: 'chat' }>): Promise<boolean> {
    return this.insertIf(PersonalData.system(m, 'the offline reach of a group chat message to its members'), n, 'chatMember', [groupId]);
  }

  /**
   * Adds a notification (NotificationKind `proposal`) in `m`'s transaction, the one of the staff's decision,
   * for an enabled account that is still a contact of `employerId` (the one who proposed the posting); nothing
   * for anyone else. A second one with the same dedupeKey is ignored. Returns whether it was new.
   */
  notifyEmployerContact(m: EntityManager, employerId: string, n: Extract<NewNotification, { kind: 'proposal' }>): Promise<boolean> {
    return this.insertIf(PersonalData.system(m, "a staff decision on an employer contact's posting proposal, told to that contact"), n, 'employerContact', [employerId]);
  }

  /**
   * The outbox row of `n`, in `pd`'s transaction, for the account `reach` allows (its parameters, `extra`, are `$10`
   * on): `worker`, a worker whose laborer (or correction request) the caller reaches; `chatMember`, a current member
   * of group `$10`; `employerContact`, an enabled contact of employer `$10`. And the delivery job's wake-up if WeChat is
   * to send it; a second one with the same dedupeKey is ignored. Whether it was new. The SQL is all inside the one
   * `pd.sql` call (the data-access test checks every personal table is read through PersonalData).
   */
  private async insertIf(pd: PersonalData, n: NewNotification, reach: 'worker' | 'chatMember' | 'employerContact', extra: unknown[] = []): Promise<boolean> {
    const m = pd.manager;
    // The dedupe key's gate (db/partitions.ts) in the statement before the insert, with whether WeChat can reach them.
    const [gate]: Array<{ month: string; has_openid: boolean }> = await m.query(
      `SELECT ${keyGate('notifications')} AS month, EXISTS (SELECT 1 FROM accounts WHERE id = $1 AND wechat_openid IS NOT NULL) AS has_openid`,
      [n.accountId],
    );
    const wechat = n.wechat && gate.has_openid ? n.wechat : null;
    const rows: Array<{ id: string }> = await pd.sql(
      (s) => {
        const condition =
          reach === 'worker'
            ? `EXISTS (SELECT 1 FROM worker_links w WHERE w.account_id = $1 AND ${s.scoped('worker_links', 'w')})
               OR EXISTS (SELECT 1 FROM correction_requests c WHERE c.account_id = $1 AND ${s.scoped('correction_requests', 'c')})`
            : reach === 'chatMember'
              ? `EXISTS (SELECT 1 FROM chat_members cm JOIN accounts a ON a.id = cm.account_id
                 WHERE cm.group_id = $10 AND cm.account_id = $1 AND cm.removed_at IS NULL AND NOT a.is_disabled AND ${s.scoped('chat_members', 'cm')})`
              : `EXISTS (SELECT 1 FROM employer_contacts ec JOIN accounts a ON a.id = ec.account_id WHERE ec.account_id = $1 AND ec.employer_id = $10 AND NOT a.is_disabled)
                 AND ${s.everywhere('notifications', "the decision's staff writes into the proposing contact's inbox, not their own")}`;
        // Into the gate's month `$9`. The dedupe key `$6` is in no earlier month's partition: within the month the
        // key (dedupe_key, month) refuses a second row (ON CONFLICT, also against one being inserted at the same
        // moment); this finds one of an earlier month (a cause repeated after the month turned), while that month
        // is kept (12 months).
        return `INSERT INTO notifications (account_id, kind, title, body, data, dedupe_key, wechat_status, next_attempt_at, month)
         SELECT $1, $2, $3, $4, $5, $6::varchar, $7, $8, $9::date WHERE (${condition}) AND NOT EXISTS (SELECT 1 FROM notifications o WHERE o.dedupe_key = $6::varchar AND o.month < $9::date AND ${s.everywhere('notifications', 'whether the notification exists already: its dedupe key is unique whoever it is for')})
         ON CONFLICT (dedupe_key, month) DO NOTHING RETURNING id`;
      },
      [n.accountId, n.kind, n.title.slice(0, 60), n.body.slice(0, 500), JSON.stringify({ ...(n.data ?? {}), ...(wechat ? { wechat } : {}) }), n.dedupeKey, wechat ? 'pending' : 'skipped', wechat ? new Date() : null, gate.month, ...extra],
    );
    if (rows.length && wechat) await this.queue.sendInTransaction(m, QUEUES.deliverNotifications, {});
    return rows.length > 0;
  }

  /**
   * Adds the inbox entries of labor-rights deadline alerts (NotificationKind `rights`) in `m`'s transaction: one
   * per alert of the rights module's ledger (`rights_alerts`; its id is the dedupe key, so an alert is in the inbox
   * once however often the sweep runs), for an active account, while its case exists (background work: the alert
   * sweep decided who). In-app only: the WeChat subscribe templates are the workers'. Returns how many were new.
   */
  async notifyRightsAlerts(m: EntityManager, alerts: ReadonlyArray<{ alertId: string; accountId: string; caseId: string; alert: 'due_soon' | 'overdue' | 'escalated'; dueDate: string; title: string; body: string }>): Promise<number> {
    if (!alerts.length) return 0;
    const rows = alerts.map((a) => ({
      account_id: a.accountId,
      title: a.title.slice(0, 60),
      body: a.body.slice(0, 500),
      data: { caseId: a.caseId, alert: a.alert, dueDate: a.dueDate } satisfies NotificationData<'rights'>,
      dedupe_key: `rights-alert:${a.alertId}`,
      case_id: a.caseId,
    }));
    // The ledger's ids are unique already; the gate and the earlier months' check keep the table's one rule.
    const month = await enterKeyGate(m, 'notifications');
    const inserted: unknown[] = await PersonalData.system(m, 'the deadline alerts of labor-rights cases to their handlers and county staff').sql(
      (s) => `INSERT INTO notifications (account_id, kind, title, body, data, dedupe_key, wechat_status, month)
       SELECT x.account_id, 'rights', x.title, x.body, x.data, x.dedupe_key, 'skipped', $2::date
       FROM jsonb_to_recordset($1::jsonb) AS x(account_id uuid, title text, body text, data jsonb, dedupe_key text, case_id uuid)
       JOIN accounts a ON a.id = x.account_id AND NOT a.is_disabled
       WHERE EXISTS (SELECT 1 FROM rights_cases c WHERE c.id = x.case_id AND ${s.scoped('rights_cases', 'c')})
         AND NOT EXISTS (SELECT 1 FROM notifications o WHERE o.dedupe_key = x.dedupe_key AND o.month < $2::date AND ${s.everywhere('notifications', 'whether the alert exists already: its dedupe key is unique whoever it is for')})
       ON CONFLICT (dedupe_key, month) DO NOTHING RETURNING id`,
      [JSON.stringify(rows), month],
    );
    return inserted.length;
  }

  /** Delivery is background work over every worker's outbox, asked for by no account. */
  private system(m: EntityManager): PersonalData {
    return PersonalData.system(m, 'delivering the outbox of every worker');
  }

  /**
   * Sends the due WeChat messages (the delivery job), up to `limit` handed to
   * WeChat in this run. Claims come in batches (one statement locks up to
   * CLAIM_BATCH due rows, SKIP LOCKED, and commits them `sending` with their
   * subscriptions before any call), at most `config.wechatConcurrency` calls
   * are in flight, and the answers are written a batch per transaction.
   * At most once as before: a row is `sending` before WeChat sees it, and one
   * whose answer was never written (crash) is failed by the stale sweep,
   * never sent again. Returns how many were handed to WeChat.
   */
  async deliverDue(limit = DELIVERY_RUN_LIMIT): Promise<number> {
    await this.system(this.ds.manager).sql(
      (s) => `UPDATE notifications n SET wechat_status = 'failed', last_error = '发送结果未知（进程中断），为避免重复不再重发'
       WHERE wechat_status = 'sending' AND next_attempt_at < now() - make_interval(mins => $1) AND ${s.scoped('notifications', 'n')}`,
      [STALE_SENDING_MINUTES],
    );
    const concurrency = this.config.wechatConcurrency;
    const batch = Math.max(CLAIM_BATCH, concurrency * 8);
    const claimed: Claim[] = [];
    let handed = 0;
    let exhausted = false;
    let claiming: Promise<void> | null = null;
    const refill = (): Promise<void> =>
      (claiming ??= this.claimBatch(Math.min(batch, limit - handed - claimed.length))
        .then((rows) => {
          if (!rows.length) exhausted = true;
          claimed.push(...rows);
        })
        .finally(() => (claiming = null)));
    const next = async (): Promise<Claim | null> => {
      for (;;) {
        if (handed >= limit) return null;
        if (claimed.length) {
          // Claim the next batch while half of this one is still to be sent, so senders never wait on a claim.
          if (claimed.length < batch / 2 && !exhausted && handed + claimed.length < limit) void refill().catch(() => undefined);
          handed++;
          return claimed.shift()!;
        }
        if (exhausted || handed >= limit) return null;
        await refill();
      }
    };
    const results: Array<{ claim: Claim; result: SendResult }> = [];
    let writing: Promise<void> = Promise.resolve();
    const flush = () => {
      const done = results.splice(0);
      if (done.length) writing = writing.then(() => this.writeResults(done));
      return writing;
    };
    const sender = async () => {
      for (let claim = await next(); claim; claim = await next()) {
        results.push({ claim, result: await this.wechat.sendSubscribeMessage(claim.message) });
        if (results.length >= batch) void flush().catch(() => undefined);
      }
    };
    try {
      // Settled, not all: a sender that failed must not leave the others' answers unwritten.
      const ended = await Promise.allSettled(Array.from({ length: concurrency }, sender));
      const failure = ended.find((e) => e.status === 'rejected');
      if (failure) throw failure.reason;
    } finally {
      // Whatever happened, every answer received is written (an unwritten one would be failed as stale).
      await flush();
      await (claiming as Promise<void> | null)?.catch(() => undefined);
      // Claimed but never handed to WeChat (a claim or a send threw): due again, nothing was sent.
      if (claimed.length) await this.release(claimed.splice(0));
    }
    return handed;
  }

  /** The answers of a batch of sends, in one transaction. */
  private async writeResults(done: Array<{ claim: Claim; result: SendResult }>): Promise<void> {
    const sent = done.filter((d) => d.result.ok).map((d) => d.claim.id);
    const failed = done.flatMap((d) => (d.result.ok ? [] : [{ claim: d.claim, result: d.result }]));
    await this.ds.transaction(async (m) => {
      const pd = this.system(m);
      if (sent.length) await pd.sql((s) => `UPDATE notifications n SET wechat_status = 'sent', wechat_sent_at = now(), last_error = NULL WHERE id = ANY($1::uuid[]) AND ${s.scoped('notifications', 'n')}`, [sent]);
      if (!failed.length) return;
      // Not delivered: the subscription was not used up, unless WeChat says it no longer exists or the send is
      // uncertain (it may have been delivered, using it: never sent again, so at most one message).
      const unused = failed.filter((f) => !f.result.error.startsWith('43101') && !f.result.uncertain).map((f) => f.claim.subscriptionId);
      if (unused.length) await m.query(`UPDATE wechat_subscriptions SET used_by = NULL, used_at = NULL WHERE id = ANY($1::uuid[])`, [unused]);
      const rows = failed.map(({ claim, result }) => {
        const giveUp = !result.retryable || claim.attempts >= this.config.notificationRetryLimit;
        return { id: claim.id, status: giveUp ? 'failed' : 'pending', error: result.error.slice(0, 300), at: giveUp ? null : new Date(Date.now() + RETRY_BASE_SECONDS * 2 ** (claim.attempts - 1) * 1000).toISOString() };
      });
      await pd.sql(
        (s) => `UPDATE notifications n SET wechat_status = v.status, last_error = v.error, next_attempt_at = v.at
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) AS v(id, status, error, at)
         WHERE n.id = v.id AND ${s.scoped('notifications', 'n')}`,
        [rows.map((r) => r.id), rows.map((r) => r.status), rows.map((r) => r.error), rows.map((r) => r.at)],
      );
    });
  }

  /** Claims never handed to WeChat: back to `pending`, their attempt and subscription given back. */
  private async release(claims: Claim[]): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query(`UPDATE wechat_subscriptions SET used_by = NULL, used_at = NULL WHERE id = ANY($1::uuid[])`, [claims.map((c) => c.subscriptionId)]);
      await this.system(m).sql(
        (s) => `UPDATE notifications n SET wechat_status = 'pending', wechat_attempts = wechat_attempts - 1 WHERE id = ANY($1::uuid[]) AND wechat_status = 'sending' AND ${s.scoped('notifications', 'n')}`,
        [claims.map((c) => c.id)],
      );
    });
  }

  /**
   * Takes up to `n` due messages and one unused subscription of its template
   * for each, marks them `sending` and commits, all before WeChat is called
   * (one transaction, a statement per step, not per message). Those without a
   * subscription, openid or template are `skipped` (the inbox has them).
   */
  private async claimBatch(n: number): Promise<Claim[]> {
    if (n <= 0) return [];
    return this.ds.transaction(async (m) => {
      const pd = this.system(m);
      const rows: Array<{ id: string; account_id: string; data: { wechat: NonNullable<NewNotification['wechat']> }; wechat_attempts: number; openid: string | null }> = await pd.sql(
        (s) => `SELECT n.id, n.account_id, n.data, n.wechat_attempts, a.wechat_openid AS openid
         FROM notifications n JOIN accounts a ON a.id = n.account_id
         WHERE n.wechat_status = 'pending' AND n.next_attempt_at <= now() AND ${s.scoped('notifications', 'n')}
         ORDER BY n.next_attempt_at LIMIT $1 FOR UPDATE OF n SKIP LOCKED`,
        [n],
      );
      if (!rows.length) return [];
      const templates = subscribeTemplateIds(this.config);
      // The oldest unused subscriptions of these accounts and templates, locked (another claim skips them).
      const wanted = rows.filter((r) => r.openid && templates[r.data.wechat.template as SubscribeTemplateKey]);
      const subs: Array<{ id: string; account_id: string; template_key: string }> = wanted.length
        ? await m.query(
            `SELECT s.id, s.account_id, s.template_key FROM wechat_subscriptions s
             JOIN (SELECT DISTINCT * FROM unnest($1::uuid[], $2::text[]) AS u(account_id, template_key)) w ON s.account_id = w.account_id AND s.template_key = w.template_key
             WHERE s.used_by IS NULL ORDER BY s.granted_at FOR UPDATE OF s SKIP LOCKED`,
            [wanted.map((r) => r.account_id), wanted.map((r) => r.data.wechat.template)],
          )
        : [];
      const free = new Map<string, string[]>();
      for (const sub of subs) {
        const key = `${sub.account_id}:${sub.template_key}`;
        if (!free.get(key)?.push(sub.id)) free.set(key, [sub.id]);
      }
      const claims: Claim[] = [];
      const skipped: Array<{ id: string; why: string }> = [];
      for (const r of rows) {
        const w = r.data.wechat;
        const templateId = templates[w.template as SubscribeTemplateKey];
        const subscriptionId = r.openid && templateId ? free.get(`${r.account_id}:${w.template}`)?.shift() : undefined;
        if (!subscriptionId || !r.openid || !templateId) {
          skipped.push({ id: r.id, why: !r.openid ? '未绑定微信' : !templateId ? '未配置消息模板' : '没有可用的订阅授权（仅站内消息）' });
          continue;
        }
        claims.push({ id: r.id, attempts: r.wechat_attempts + 1, subscriptionId, message: { openid: r.openid, templateId, page: w.page, data: w.fields } });
      }
      if (skipped.length)
        await pd.sql((s) => `UPDATE notifications n SET wechat_status = 'skipped', last_error = v.why FROM unnest($1::uuid[], $2::text[]) AS v(id, why) WHERE n.id = v.id AND ${s.scoped('notifications', 'n')}`, [skipped.map((x) => x.id), skipped.map((x) => x.why)]);
      if (claims.length) {
        await m.query(`UPDATE wechat_subscriptions s SET used_by = v.nid, used_at = now() FROM unnest($1::uuid[], $2::uuid[]) AS v(id, nid) WHERE s.id = v.id`, [claims.map((c) => c.subscriptionId), claims.map((c) => c.id)]);
        await pd.sql((s) => `UPDATE notifications n SET wechat_status = 'sending', wechat_attempts = wechat_attempts + 1, next_attempt_at = now() WHERE id = ANY($1::uuid[]) AND ${s.scoped('notifications', 'n')}`, [claims.map((c) => c.id)]);
      }
      return claims;
    });
  }
}

/** A message claimed for sending: its row is `sending` and its subscription used, committed. */
interface Claim {
  id: string;
  attempts: number;
  subscriptionId: string;
  message: SubscribeMessage;
}

/**
 * The WeChat template id of each subscribe-message template this deployment
 * can send: those configured (required in production with real WeChat); with
 * the local stand-in, `local-<key>` for the others. A template missing here is
 * never asked for and never sent.
 */
export function subscribeTemplateIds(config: AppConfig): Partial<Record<SubscribeTemplateKey, string>> {
  const out: Partial<Record<SubscribeTemplateKey, string>> = {};
  for (const t of SUBSCRIBE_TEMPLATES) {
    const id = config.wechat.templates[t.code] ?? (config.wechat.mode === 'local' ? `local-${t.code}` : undefined);
    if (id) out[t.code] = id;
  }
  return out;
}
