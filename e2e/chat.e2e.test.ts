import type { Page } from 'playwright-core';
import { browserPerFile, phonePage } from './browser';
import { passwordSignIn, phoneShot as shot, visible, wechatSignIn } from './phone';
import { apiLogin, BASE, poll } from './survey-api';

/**
 * The group chats in the H5 build against the real API: grid1 creates a
 * community group, adds demo-worker-1 from the suggested list, sends a text
 * and a job card; the worker, in a second browser context, sees them in 我的群
 * with the unread count and in the room, gets the next message live, goes
 * offline (composing a message that waits in the outbox), misses messages,
 * comes back and sees every one of them once, in order, and their own
 * message sent once; a recall by the grid leader blanks the message for both.
 * Then grid1 pins a notice and broadcasts a job to two groups in one action and
 * sees per group who received and read it, as the worker opens the room.
 */

const browser = browserPerFile();
const groupName = `那岸村就业群${Date.now() % 10000}`;

/** The texts of the room's messages as shown, oldest first. */
async function texts(page: Page): Promise<string[]> {
  return visible(page, '.chat-room .msg-text').allTextContents();
}

async function send(page: Page, text: string): Promise<void> {
  await visible(page, '.room-text textarea').fill(text);
  await visible(page, '.room-send').click();
}

describe('group chats: the grid leader and a worker', () => {
  it('grid1 runs a group; the worker sees it live, misses messages offline and gets each once, in order, on return', async () => {
    // ---- the grid leader ----
    const grid = await phonePage(browser());
    await passwordSignIn(grid, 'grid1', 'grid');
    await visible(grid, '.grid-create').click();
    await grid.waitForURL(/pages\/chat\/create\/index/);
    await visible(grid, '.create-name input').fill(groupName);
    await visible(grid, '.create-submit').click();

    // Straight to the members: the suggested people of the grid, demo-worker-1 (黄志强) among them.
    await grid.waitForURL(/pages\/chat\/members\/index/);
    const row = visible(grid, '.suggested-row').filter({ hasText: '黄' }).first();
    await row.waitFor();
    await row.click();
    await visible(grid, '.members-add').click();
    await visible(grid, '.members-flash').getByText('已加入1人').waitFor();
    await visible(grid, '.member-row').filter({ hasText: '黄' }).first().waitFor();
    await visible(grid, '.members-invite-new').click();
    await visible(grid, '.invite-code').waitFor();
    expect((await visible(grid, '.invite-code').textContent())?.trim()).toMatch(/^[A-Z0-9]{8}$/);
    // The invite as a QR code too (the join page's link with the code), drawn as an image.
    const qr = visible(grid, '.invite-qr img');
    await qr.waitFor();
    const src = (await qr.getAttribute('src')) ?? '';
    expect(src).toMatch(/^data:image\/svg\+xml;charset=utf-8,/);
    expect(decodeURIComponent(src.slice(src.indexOf(',') + 1))).toMatch(/^<svg[^>]*viewBox="0 0 \d+ \d+"[\s\S]*<path/);
    const drawn = () => qr.evaluate((el) => {
      const img = el as unknown as { complete: boolean; naturalWidth: number };
      return img.complete && img.naturalWidth > 0;
    });
    await poll(drawn, (yes) => yes);
    await shot(grid, 'chat-members');

    // The room: a text and a job card from the supply list.
    await visible(grid, '.members-room').click();
    await grid.waitForURL(/pages\/chat\/room\/index/);
    await send(grid, '大家好，我是网格长何美玲，有合适的岗位会发在这个群里。');
    // A job recommended to demo-worker-1, so the card opens its job detail on the worker's side.
    const workerSession = (await (await fetch(`${BASE()}/api/v1/auth/wechat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'demo-worker-1' }) })).json()) as { accessToken: string };
    const recs = (await (await fetch(`${BASE()}/api/v1/me/recommendations`, { headers: { authorization: `Bearer ${workerSession.accessToken}` } })).json()) as { items: Array<{ posting: { title: string } }> };
    expect(recs.items.length).toBeGreaterThan(0);
    const jobTitle = recs.items[0].posting.title;
    await visible(grid, '.room-job').click();
    await visible(grid, '.job-picker-q input').fill(jobTitle);
    await visible(grid, '.job-picker-go').click();
    const pick = visible(grid, '.job-pick').filter({ hasText: jobTitle }).first();
    await pick.waitFor();
    await pick.click();
    await visible(grid, '.msg-job-title').getByText(jobTitle).waitFor();
    await visible(grid, '.msg-pending').waitFor({ state: 'detached' });
    await shot(grid, 'chat-room-grid');

    // ---- the worker, in a browser of their own ----
    const worker = await phonePage(browser());
    await wechatSignIn(worker, 'demo-worker-1');
    const mine = visible(worker, '.worker-groups .group-row').filter({ hasText: groupName });
    await mine.waitFor();
    expect((await mine.locator('.group-unread').textContent())?.trim()).toBe('2');
    await shot(worker, 'chat-worker-home');
    await mine.click();
    await worker.waitForURL(/pages\/chat\/room\/index/);
    await visible(worker, '.msg-job-title').getByText(jobTitle).waitFor();
    expect(await texts(worker)).toEqual(['大家好，我是网格长何美玲，有合适的岗位会发在这个群里。']);

    // Live: the next message reaches the open room without any tap.
    await send(grid, '明天上午9点在村委会开招聘说明会。');
    await visible(worker, '.msg-text').getByText('明天上午9点').waitFor();

    // Offline: the worker's phone loses the network; what they write waits on the phone.
    await worker.context().setOffline(true);
    await visible(worker, '.room-link--offline').waitFor();
    await send(worker, '我想报名，请问包吃住吗？');
    await visible(worker, '.msg-pending').getByText('我想报名').waitFor();
    const missed = ['说明会改到下午2点。', '请带上身份证。', '有车接送，在村口集合。'];
    for (const m of missed) await send(grid, m);
    for (const m of missed) await visible(grid, '.msg-text').getByText(m).waitFor();
    // The worker's room has nothing of them yet: no network reaches it.
    expect(await texts(worker)).toEqual(['大家好，我是网格长何美玲，有合适的岗位会发在这个群里。', '明天上午9点在村委会开招聘说明会。']);
    await shot(worker, 'chat-worker-offline');

    // Back online: every missed message once, in order, and the worker's own sent once.
    await worker.context().setOffline(false);
    await visible(worker, '.msg-text').getByText(missed[2]).waitFor();
    await visible(worker, '.msg-pending').waitFor({ state: 'detached' });
    const after = await texts(worker);
    const fromGrid = after.filter((t) => t !== '我想报名，请问包吃住吗？');
    expect(fromGrid).toEqual(['大家好，我是网格长何美玲，有合适的岗位会发在这个群里。', '明天上午9点在村委会开招聘说明会。', ...missed]);
    expect(after.filter((t) => t === '我想报名，请问包吃住吗？')).toHaveLength(1);
    await shot(worker, 'chat-worker-room');

    // The grid leader gets the worker's message once too; the server's log has it once.
    await visible(grid, '.msg-text').getByText('我想报名').waitFor();
    expect((await texts(grid)).filter((t) => t === '我想报名，请问包吃住吗？')).toHaveLength(1);

    // The grid leader recalls the last message (within 2 minutes): a recall is an event of its own, so the worker's room blanks it too.
    await visible(grid, '.msg').filter({ hasText: missed[2] }).locator('.chat-msg__body').click();
    await visible(grid, '.msg-recall').click();
    await visible(grid, '.msg-gone').getByText('你撤回了一条消息').waitFor();
    await visible(worker, '.msg-gone').getByText('撤回了一条消息').waitFor();
    expect(await texts(worker)).not.toContain(missed[2]);

    // The job card opens the worker's job detail, where 感兴趣 works as from the home.
    await visible(worker, '.msg-job').filter({ hasText: jobTitle }).first().click();
    await worker.waitForURL(/pages\/jobs\/detail\/index/);
    await visible(worker, '.job-detail .job-title').getByText(jobTitle).waitFor();
    const token = (await apiLogin('grid1')).accessToken;
    const groups = (await (await fetch(`${BASE()}/api/v1/chat/groups`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: Array<{ id: string; name: string }> };
    const g = groups.items.find((x) => x.name === groupName)!;
    const log = (await (await fetch(`${BASE()}/api/v1/chat/groups/${g.id}/messages?limit=50`, { headers: { authorization: `Bearer ${token}` } })).json()) as { events: Array<{ seq: number; text: string | null }> };
    expect(log.events.map((e) => e.seq)).toEqual(log.events.map((_, i) => i + 1));
    expect(log.events.filter((e) => e.text === '我想报名，请问包吃住吗？')).toHaveLength(1);

    await worker.context().close();
    await grid.context().close();
  }, 120_000);

  it('grid1 broadcasts a job to two groups at once and sees, per group, who received and read it; the pinned notice shows read by N of M', async () => {
    const grid = await phonePage(browser());
    await passwordSignIn(grid, 'grid1', 'grid');
    await visible(grid, '.group-row').filter({ hasText: groupName }).first().click();
    await grid.waitForURL(/pages\/chat\/room\/index/);
    // A notice: pinned, read by the grid leader only so far (of 2 members).
    await visible(grid, '.room-notice').click();
    await send(grid, '本周五上午在村委会统一报名，请带身份证。');
    await visible(grid, '.room-pinned').getByText('本周五上午').waitFor();
    // From the room the broadcast page starts with this group; the demo seed's community group is added to it.
    await visible(grid, '.room-broadcast').click();
    await grid.waitForURL(/pages\/chat\/broadcast\/index/);
    await visible(grid, '.broadcast-group').filter({ hasText: '那隆屯就业群' }).click();
    await visible(grid, '.chat-card__title').getByText('发到哪些群（2个）').waitFor();
    const pick = visible(grid, '.job-pick').first();
    await pick.waitFor();
    const jobTitle = (await pick.locator('.job-picker__title').textContent())?.trim() ?? '';
    expect(jobTitle).not.toBe('');
    await pick.click();
    await visible(grid, '.broadcast-send').click();
    const rows = visible(grid, '.broadcast-result');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    const ours = rows.filter({ hasText: groupName });
    // demo-worker-1 is the only other member, and away: received by nobody yet.
    expect((await ours.locator('.broadcast-counts').textContent())?.trim()).toBe('1人 · 已送达 0 · 已读 0 · 感兴趣 0');

    // The worker opens the group: the card arrives and is read; the grid leader's counts follow (the page refreshes them).
    const worker = await phonePage(browser());
    await wechatSignIn(worker, 'demo-worker-1');
    await visible(worker, '.worker-groups .group-row').filter({ hasText: groupName }).click();
    await worker.waitForURL(/pages\/chat\/room\/index/);
    await visible(worker, '.msg-job-title').getByText(jobTitle).last().waitFor();
    // 已读 N/M under the pinned notice (as loaded with the group: the leader had read it, the worker not yet).
    expect((await visible(worker, '.room-pinned-read').textContent())?.trim()).toMatch(/^已读 [12]\/2$/);
    await ours.filter({ hasText: '已送达 1 · 已读 1' }).waitFor({ timeout: 30_000 });
    await shot(grid, 'chat-broadcast');

    // The server's counts say the same.
    const token = (await apiLogin('grid1')).accessToken;
    const list = (await (await fetch(`${BASE()}/api/v1/chat/broadcasts?limit=1`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: Array<{ id: string; groupCount: number }> };
    expect(list.items[0].groupCount).toBe(2);
    await worker.context().close();
    await grid.context().close();
  }, 120_000);
});
