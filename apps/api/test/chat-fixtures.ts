import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import { as, createAccount, login, workerLogin } from './helpers';
import { householdData, laborerData, op, sync, uuid } from './survey-fixtures';

export type Caller = ReturnType<typeof as>;

export interface ChatPerson {
  id: string;
  token: string;
  call: Caller;
}

/** An account of `role` in `region`, signed in. */
export async function person(app: FastifyInstance, ds: DataSource, role: 'admin' | 'staff' | 'officer' | 'grid_leader', region: string | null): Promise<ChatPerson> {
  const a = await createAccount(ds, role, region);
  const { accessToken } = await login(app, a.username);
  return { id: a.id, token: accessToken, call: as(app, accessToken) };
}

/**
 * Workers of `village`: each a laborer surveyed by `officerToken` and bound to a fresh WeChat account
 * (the link written directly: binding is the workers module's own test).
 */
export async function boundWorkers(app: FastifyInstance, ds: DataSource, officerToken: string, village: string, names: string[]): Promise<ChatPerson[]> {
  const out: ChatPerson[] = [];
  for (const name of names) {
    const h = uuid();
    const l = uuid();
    const res = await sync(app, officerToken, `dev-chat-${village}`, [op('household.create', h, householdData(village)), op('laborer.create', l, laborerData(h, { name }))]);
    if (res.some((r) => r.status !== 'applied')) throw new Error(`survey failed: ${JSON.stringify(res)}`);
    const w = await workerLogin(app);
    await ds.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2)', [w.user.id, l]);
    out.push({ id: w.user.id, token: w.accessToken, call: as(app, w.accessToken) });
  }
  return out;
}

/** A worker account bound to nobody (joins by invite code). */
export async function unboundWorker(app: FastifyInstance): Promise<ChatPerson> {
  const w = await workerLogin(app);
  return { id: w.user.id, token: w.accessToken, call: as(app, w.accessToken) };
}

export const clientId = () => crypto.randomUUID();

/** Sends a text message and answers the response. */
export function say(p: ChatPerson, groupId: string, text: string, id = clientId()) {
  return p.call({ method: 'POST', url: `/api/v1/chat/groups/${groupId}/messages`, payload: { clientId: id, kind: 'text', text } });
}

/** A community group of `region` made by `leader`, with `members` added. Answers its id. */
export async function communityGroup(leader: ChatPerson, region: string, members: ChatPerson[], name = '测试群'): Promise<string> {
  const res = await leader.call({ method: 'POST', url: '/api/v1/chat/groups', payload: { name, kind: 'community', regionCode: region } });
  if (res.statusCode !== 201) throw new Error(`create group: ${res.statusCode} ${res.body}`);
  const id = res.json().id;
  if (members.length) {
    const add = await leader.call({ method: 'POST', url: `/api/v1/chat/groups/${id}/members`, payload: { accountIds: members.map((m) => m.id) } });
    if (add.statusCode !== 200) throw new Error(`add members: ${add.statusCode} ${add.body}`);
  }
  return id;
}
