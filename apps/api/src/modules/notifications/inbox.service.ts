import type { DataSource, EntityManager } from 'typeorm';
import { NotificationKind, NotificationView, SUBSCRIBE_TEMPLATES, SubscribeTemplateKey } from '@jobbridge/shared';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import { fieldError, notFound } from '../../errors';
import { recordAudit } from '../audit/audit.service';
import { keysetPage, newestFirst } from '../../pagination';
import { NotificationRow } from './notification.entity';

/** Unused one-time subscriptions kept per template; more acceptances than this are ignored. */
const MAX_UNUSED_GRANTS = 50;

export interface InboxQuery {
  cursor?: string;
  limit: number;
  unreadOnly?: boolean;
}

export type GrantCounts = Record<SubscribeTemplateKey, number>;

interface NotificationRowRaw {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  data: Record<string, unknown>;
  read_at: Date | null;
  created_at: Date;
}

const NEWEST = newestFirst('n');
const COLUMNS = 'n.id, n.kind, n.title, n.body, n.data, n.read_at, n.created_at';

/** An inbox entry as its account sees it: the WeChat delivery details (`data.wechat`) stay on the server. */
function notificationView(r: NotificationRowRaw): NotificationView {
  const { wechat: _wechat, ...data } = r.data ?? {};
  return { id: r.id, kind: r.kind, title: r.title, body: r.body, data, readAt: r.read_at ? new Date(r.read_at).toISOString() : null, createdAt: new Date(r.created_at).toISOString() };
}

/**
 * An account's in-app inbox and the WeChat one-time subscriptions it grants:
 * every account that may take part in group chats has one (workers also get
 * their recommendations and follow-ups there), bound to a laborer record or
 * not; every query is by the caller's own account id, so nobody reaches another's.
 */
export class InboxService {
  constructor(
    private readonly ds: DataSource,
    /** Template ids per key this deployment sends (see `subscribeTemplateIds`). */
    private readonly templateIds: Partial<Record<SubscribeTemplateKey, string>>,
  ) {}

  async list(ctx: RequestContext, q: InboxQuery): Promise<{ items: NotificationView[]; nextCursor: string | null; unread: number }> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const qb = pd.select(NotificationRow, 'n').select(COLUMNS);
    if (q.unreadOnly) qb.andWhere('n.read_at IS NULL');
    const [page, unread] = await Promise.all([
      keysetPage(qb, NEWEST, q, (r) => notificationView(r as NotificationRowRaw), { total: false }),
      pd.select(NotificationRow, 'n').andWhere('n.read_at IS NULL').getCount(),
    ]);
    return { ...page, unread };
  }

  /** Marks one of the worker's own notifications read (a second time keeps the first time); 404 for anyone else's. */
  async markRead(ctx: RequestContext, id: string): Promise<NotificationView> {
    return this.ds.transaction(async (m) => {
      // TypeORM answers UPDATE with [rows, count].
      const [rows]: [NotificationRowRaw[], number] = await PersonalData.for(m, ctx).sql(
        (s) => `UPDATE notifications n SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND ${s.scoped('notifications', 'n')} RETURNING ${COLUMNS}`,
        [id],
      );
      if (!rows.length) throw notFound('消息');
      await recordAudit(m, ctx, { action: 'notification.read', entityType: 'notification', entityId: id, regionCode: null });
      return notificationView(rows[0]);
    });
  }

  async markAllRead(ctx: RequestContext): Promise<{ updated: number }> {
    return this.ds.transaction(async (m) => {
      const [, updated]: [unknown[], number] = await PersonalData.for(m, ctx).sql((s) => `UPDATE notifications n SET read_at = now() WHERE read_at IS NULL AND ${s.scoped('notifications', 'n')}`);
      if (updated) await recordAudit(m, ctx, { action: 'notification.read_all', entityType: 'notification', regionCode: null, detail: { count: updated } });
      return { updated };
    });
  }

  /**
   * Records the templates the worker just accepted in WeChat's subscribe
   * dialog: one row per acceptance, each good for exactly one message, at
   * most MAX_UNUSED_GRANTS unused per template.
   */
  async grant(ctx: RequestContext, accepted: SubscribeTemplateKey[]): Promise<{ granted: GrantCounts; templates: Partial<Record<SubscribeTemplateKey, string>> }> {
    const dup = accepted.findIndex((k, i) => accepted.indexOf(k) !== i);
    if (dup >= 0) throw fieldError({ [`accepted.${dup}`]: '模板重复' });
    const off = accepted.findIndex((k) => !this.templateIds[k]);
    if (off >= 0) throw fieldError({ [`accepted.${off}`]: '本系统未启用该消息模板' });
    const accountId = ctx.actor.accountId;
    return this.ds.transaction(async (m) => {
      // One grant at a time per account, so the cap holds under concurrent calls.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('wechat_subscriptions:' || $1))`, [accountId]);
      const rows: unknown[] = await m.query(
        `INSERT INTO wechat_subscriptions (account_id, template_key)
         SELECT $1, k FROM unnest($2::text[]) AS k
         WHERE (SELECT count(*) FROM wechat_subscriptions s WHERE s.account_id = $1 AND s.template_key = k AND s.used_by IS NULL) < $3
         RETURNING id`,
        [accountId, accepted, MAX_UNUSED_GRANTS],
      );
      await recordAudit(m, ctx, { action: 'wechat_subscription.grant', entityType: 'account', entityId: accountId, regionCode: null, detail: { accepted, added: rows.length } });
      return { granted: await this.counts(m, accountId), templates: this.templateIds };
    });
  }

  /** Unused grants per template, and the WeChat template ids to ask for (`Taro.requestSubscribeMessage`'s `tmplIds`). */
  async grants(ctx: RequestContext): Promise<{ granted: GrantCounts; templates: Partial<Record<SubscribeTemplateKey, string>> }> {
    return { granted: await this.counts(this.ds.manager, ctx.actor.accountId), templates: this.templateIds };
  }

  /** Unused subscriptions per template, every template named (0 when none). */
  private async counts(m: EntityManager, accountId: string): Promise<GrantCounts> {
    const rows: Array<{ template_key: string; n: number }> = await m.query(
      'SELECT template_key, count(*)::int AS n FROM wechat_subscriptions WHERE account_id = $1 AND used_by IS NULL GROUP BY template_key',
      [accountId],
    );
    const counts = Object.fromEntries(SUBSCRIBE_TEMPLATES.map((t) => [t.code, 0])) as GrantCounts;
    for (const r of rows) if (r.template_key in counts) counts[r.template_key as SubscribeTemplateKey] = r.n;
    return counts;
  }
}
