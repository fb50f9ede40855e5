import type { DataSource, EntityManager } from 'typeorm';
import { NotificationKind, SUBSCRIBE_TEMPLATES, SubscribeTemplateKey } from '@jobbridge/shared';
import { PersonalData } from '../../access/personal-data';
import type { AppConfig } from '../../config';
import type { WeChatClient } from '../../wechat/wechat-client';
import { JobQueue, QUEUES } from '../queue/job-queue';
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
  async notify(pd: PersonalData, n: NewNotification): Promise<boolean> {
    const m = pd.manager;
    const wechat = n.wechat && (await this.hasOpenid(m, n.accountId)) ? n.wechat : null;
    const rows: Array<{ id: string }> = await pd.sql(
      (s) => `INSERT INTO notifications (account_id, kind, title, body, data, dedupe_key, wechat_status, next_attempt_at)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8
       WHERE EXISTS (SELECT 1 FROM worker_links w WHERE w.account_id = $1 AND ${s.scoped('worker_links', 'w')})
          OR EXISTS (SELECT 1 FROM correction_requests c WHERE c.account_id = $1 AND ${s.scoped('correction_requests', 'c')})
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [n.accountId, n.kind, n.title.slice(0, 60), n.body.slice(0, 500), JSON.stringify({ ...(n.data ?? {}), ...(wechat ? { wechat } : {}) }), n.dedupeKey, wechat ? 'pending' : 'skipped', wechat ? new Date() : null],
    );
    if (rows.length && wechat) await this.queue.sendInTransaction(m, QUEUES.deliverNotifications, {});
    return rows.length > 0;
  }

  /**
   * Adds a chat notification (NotificationKind `chat`) in `m`'s transaction for a worker who is a current
   * member of `groupId` (background work: the offline reach of a group's message decided who); a second one
   * with the same dedupeKey is ignored. Returns whether it was new.
   */
  async notifyChatMember(m: EntityManager, groupId: string, n: Extract<NewNotification, { kind: 'chat' }>): Promise<boolean> {
    const wechat = n.wechat && (await this.hasOpenid(m, n.accountId)) ? n.wechat : null;
    const rows: Array<{ id: string }> = await PersonalData.system(m, 'the offline reach of a group chat message to its members').sql(
      (s) => `INSERT INTO notifications (account_id, kind, title, body, data, dedupe_key, wechat_status, next_attempt_at)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8
       WHERE EXISTS (SELECT 1 FROM chat_members cm JOIN accounts a ON a.id = cm.account_id
         WHERE cm.group_id = $9 AND cm.account_id = $1 AND cm.removed_at IS NULL AND a.role = 'worker' AND ${s.scoped('chat_members', 'cm')})
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [n.accountId, n.kind, n.title.slice(0, 60), n.body.slice(0, 500), JSON.stringify({ ...(n.data ?? {}), ...(wechat ? { wechat } : {}) }), n.dedupeKey, wechat ? 'pending' : 'skipped', wechat ? new Date() : null, groupId],
    );
    if (rows.length && wechat) await this.queue.sendInTransaction(m, QUEUES.deliverNotifications, {});
    return rows.length > 0;
  }

  /** Delivery is background work over every worker's outbox, asked for by no account. */
  private system(m: EntityManager): PersonalData {
    return PersonalData.system(m, 'delivering the outbox of every worker');
  }

  private async hasOpenid(m: EntityManager, accountId: string): Promise<boolean> {
    const r: unknown[] = await m.query('SELECT 1 FROM accounts WHERE id = $1 AND wechat_openid IS NOT NULL', [accountId]);
    return r.length > 0;
  }

  /** Sends every due WeChat message (the delivery job). Returns how many were handed to WeChat. */
  async deliverDue(limit = 200): Promise<number> {
    await this.system(this.ds.manager).sql(
      (s) => `UPDATE notifications n SET wechat_status = 'failed', last_error = '发送结果未知（进程中断），为避免重复不再重发'
       WHERE wechat_status = 'sending' AND next_attempt_at < now() - make_interval(mins => $1) AND ${s.scoped('notifications', 'n')}`,
      [STALE_SENDING_MINUTES],
    );
    let sent = 0;
    for (let i = 0; i < limit; i++) {
      const claim = await this.claimNext();
      if (!claim) break;
      if (claim === 'skipped') continue;
      sent++;
      const result = await this.wechat.sendSubscribeMessage(claim.message);
      await this.ds.transaction(async (m) => {
        if (result.ok) {
          await this.system(m).sql((s) => `UPDATE notifications n SET wechat_status = 'sent', wechat_sent_at = now(), last_error = NULL WHERE id = $1 AND ${s.scoped('notifications', 'n')}`, [claim.id]);
          return;
        }
        // Not delivered: the subscription was not used up, unless WeChat says it no longer exists.
        const refused = result.error.startsWith('43101');
        if (!refused) await m.query(`UPDATE wechat_subscriptions SET used_by = NULL, used_at = NULL WHERE id = $1`, [claim.subscriptionId]);
        const giveUp = !result.retryable || claim.attempts >= this.config.notificationRetryLimit;
        const retryAt = giveUp ? null : new Date(Date.now() + RETRY_BASE_SECONDS * 2 ** (claim.attempts - 1) * 1000);
        await this.system(m).sql((s) => `UPDATE notifications n SET wechat_status = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1 AND ${s.scoped('notifications', 'n')}`, [claim.id, giveUp ? 'failed' : 'pending', result.error.slice(0, 300), retryAt]);
      });
    }
    return sent;
  }

  /**
   * Takes the next due message and one unused subscription of its template,
   * marks it `sending` and commits, all before WeChat is called. Without a
   * subscription it is `skipped` (the inbox has it).
   */
  private async claimNext(): Promise<null | 'skipped' | { id: string; attempts: number; subscriptionId: string; message: Parameters<WeChatClient['sendSubscribeMessage']>[0] }> {
    return this.ds.transaction(async (m) => {
      const pd = this.system(m);
      const rows: Array<{ id: string; account_id: string; data: { wechat: NonNullable<NewNotification['wechat']> }; wechat_attempts: number; openid: string | null }> = await pd.sql(
        (s) => `SELECT n.id, n.account_id, n.data, n.wechat_attempts, a.wechat_openid AS openid
         FROM notifications n JOIN accounts a ON a.id = n.account_id
         WHERE n.wechat_status = 'pending' AND n.next_attempt_at <= now() AND ${s.scoped('notifications', 'n')}
         ORDER BY n.next_attempt_at LIMIT 1 FOR UPDATE OF n SKIP LOCKED`,
      );
      if (!rows.length) return null;
      const n = rows[0];
      const w = n.data.wechat;
      const templateId = subscribeTemplateIds(this.config)[w.template as SubscribeTemplateKey];
      const [sub]: [Array<{ id: string }>, number] = await m.query(
        `UPDATE wechat_subscriptions SET used_by = $1, used_at = now()
         WHERE id = (SELECT id FROM wechat_subscriptions WHERE account_id = $2 AND template_key = $3 AND used_by IS NULL ORDER BY granted_at LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING id`,
        [n.id, n.account_id, w.template],
      );
      if (!sub.length || !n.openid || !templateId) {
        const why = !sub.length ? '没有可用的订阅授权（仅站内消息）' : !n.openid ? '未绑定微信' : '未配置消息模板';
        await pd.sql((s) => `UPDATE notifications n SET wechat_status = 'skipped', last_error = $2 WHERE id = $1 AND ${s.scoped('notifications', 'n')}`, [n.id, why]);
        return 'skipped';
      }
      const attempts = n.wechat_attempts + 1;
      await pd.sql((s) => `UPDATE notifications n SET wechat_status = 'sending', wechat_attempts = $2, next_attempt_at = now() WHERE id = $1 AND ${s.scoped('notifications', 'n')}`, [n.id, attempts]);
      return { id: n.id, attempts, subscriptionId: sub[0].id, message: { openid: n.openid, templateId, page: w.page, data: w.fields } };
    });
  }
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
