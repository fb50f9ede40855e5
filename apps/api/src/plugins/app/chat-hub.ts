import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { CHAT_LIMITS } from '@jobbridge/shared';
import { ChatHub } from '../../modules/chat/chat-hub';

declare module 'fastify' {
  interface FastifyInstance {
    chatHub: ChatHub;
  }
}

/** How often a replica compares its followed groups with the table, whatever it heard (a lost wake-up costs at most this). */
const SWEEP_MS = 5_000;

/** Real-time delivery of group chats on this replica: its LISTEN connection starts with the app and ends with it. */
export default fp(
  async function chatHubPlugin(app: FastifyInstance) {
    const hub = new ChatHub(app.db, app.chatService, app.log.child({ component: 'chat' }), {
      sweepMs: SWEEP_MS,
      heartbeatMs: CHAT_LIMITS.heartbeatSeconds * 1000,
      checkSession: async (ids) => {
        const rows: Array<{ id: string }> = await app.db.query(
          `SELECT s.id FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id = ANY($1::uuid[]) AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT a.is_disabled`,
          [ids],
        );
        return new Set(rows.map((r) => r.id));
      },
    });
    app.decorate('chatHub', hub);
    app.addHook('onReady', async () => hub.start());
    app.addHook('preClose', async () => hub.stop());
  },
  { name: 'chat-hub', dependencies: ['db', 'services'] },
);
