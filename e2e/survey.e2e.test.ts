import path from 'node:path';
import type { Page } from 'playwright-core';
import { browserPerFile, fill, phonePage, SCREENSHOTS } from './browser';
import { ageOn } from '@jobbridge/shared';

/**
 * The officer's offline household survey in the H5 build against the real
 * API: everything is saved on the device while offline, survives a reload,
 * and reaches the server exactly once when the network comes back.
 */
const BASE = () => process.env.E2E_BASE_URL!;
const browser = browserPerFile();

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `survey-${name}.png`), fullPage: true });
const chip = (page: Page, field: string, label: string) => page.locator(`.choice-${field} .chip`, { hasText: label }).first().click();

async function apiToken(): Promise<string> {
  const res = await fetch(`${BASE()}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'officer1', password: 'jobbridge-demo' }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

interface FeedItem {
  type: string;
  id: string;
  removed: boolean;
  record?: Record<string, unknown>;
}

/** The officer's whole area as the server has it, from the change feed. */
async function serverRecords(token: string): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  let since = '';
  for (;;) {
    const res = await fetch(`${BASE()}/api/v1/sync/changes?limit=1000${since ? `&since=${encodeURIComponent(since)}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: FeedItem[]; cursor: string; hasMore: boolean };
    items.push(...page.items);
    since = page.cursor;
    if (!page.hasMore) return items;
  }
}

async function addLaborer(page: Page, name: string, idNumber: string, opts: { screenshots?: boolean; badId?: string } = {}): Promise<void> {
  await page.locator('.laborer-add').click();
  await page.locator('.lf-step-title').getByText('身份信息').waitFor();
  await fill(page, 'lf-name', name);
  if (opts.badId) {
    // The check digit is checked as soon as 18 characters are typed.
    await fill(page, 'lf-idNumber', opts.badId);
    await page.locator('.lf-error-idNumber').getByText('校验位').waitFor();
  }
  await fill(page, 'lf-idNumber', idNumber);
  await page.locator('.lf-id-info').waitFor();
  expect(await page.locator('.lf-id-info').innerText()).toContain(`${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`);
  await chip(page, 'relationToHead', name.endsWith('红') ? '子女' : '户主');
  if (opts.screenshots) await shot(page, 'laborer-identity');
  await page.locator('.lf-next').click();

  await page.locator('.lf-step-title').getByText('基本情况').waitFor();
  await page.locator('.lf-next').click();
  // Education is required: the step does not move on and says why, in Chinese.
  await page.locator('.lf-error-education').getByText('必填').waitFor();
  await chip(page, 'education', '初中');
  await page.locator('.lf-next').click();

  await page.locator('.lf-step-title').getByText('就业与外出').waitFor();
  await chip(page, 'employmentStatus', '未就业');
  if (opts.screenshots) await shot(page, 'laborer-employment');
  await page.locator('.lf-next').click();

  await page.locator('.lf-step-title').getByText('需求与意愿').waitFor();
  await chip(page, 'serviceNeeds', '岗位推荐');
  await chip(page, 'serviceNeeds', '技能培训');
  await chip(page, 'workScopes', '县内');
  await chip(page, 'trainingWanted', '电工');
  if (opts.screenshots) await shot(page, 'laborer-needs');
  await page.locator('.lf-next').click();

  await page.locator('.lf-step-title').getByText('核对保存').waitFor();
  expect(await page.locator('.review').innerText()).toContain('岗位推荐、技能培训');
  if (opts.screenshots) await shot(page, 'laborer-review');
  await page.locator('.lf-save').click();
  await page.locator('.member-item', { hasText: name }).waitFor();
}

describe('the officer\'s offline household survey', () => {
  it('a household with two laborers added offline survives a reload and reaches the server exactly once', async () => {
    const page = await phonePage(browser());
    const context = page.context();
    await page.goto(BASE() + '/');
    await fill(page, 'login-username', 'officer1');
    await fill(page, 'login-password', 'jobbridge-demo');
    await page.locator('.login-submit').click();
    await page.waitForURL(/pages\/officer\/index/);
    await page.locator('.survey-entry-area').click();
    await page.waitForURL(/pages\/survey\/area\/index/);
    await page.locator('.household-add').waitFor();
    await page.locator('.sync-bar-pending').getByText('全部已上传').waitFor();

    // H5 loads each page's script on first visit (the mini-program downloads the whole
    // subpackage at once), so open every survey page once while online.
    for (const p of ['household-edit/index', 'household/index?id=x', 'laborer/index?householdId=x', 'sync/index']) {
      await page.goto(`${BASE()}/#/pages/survey/${p}`);
      await page.locator('.survey').first().waitFor();
    }
    // Back to the area page with a fresh page load (the scripts stay in the HTTP cache): a jump to a
    // page already in the stack by its hash alone can leave another page showing in Taro's H5 router.
    await page.goto(`${BASE()}/?fresh=1#/pages/survey/area/index`);
    await page.locator('.household-add').waitFor();

    await context.setOffline(true);
    const head = `农测试${Date.now() % 100000}`;
    await page.locator('.household-add').click();
    await page.locator('.lf-headName').waitFor();
    await page.locator('.hh-save').click();
    await page.locator('.lf-error-headName').getByText('必填').waitFor();
    await fill(page, 'lf-headName', head);
    await fill(page, 'lf-address', '天等镇那料屯18号');
    await chip(page, 'povertyStatus', '脱贫户');
    await shot(page, 'household-new');
    await page.locator('.hh-save').click();
    await page.locator('.hh-title').getByText(head).waitFor();

    await addLaborer(page, `${head.slice(0, 1)}大明`, '451425199001011233', { screenshots: true, badId: '451425199001011234' });
    await addLaborer(page, `${head.slice(0, 1)}小红`, '45142519920202118X');
    await page.locator('.visit-note input').fill('入户摸底，两人均有外出务工意愿');
    await page.locator('.visit-add').click();
    await page.locator('.visit-item').waitFor();
    expect(await page.locator('.member-item').count()).toBe(2);
    expect(await page.locator('.tag--pending').count()).toBeGreaterThanOrEqual(3);
    await shot(page, 'household');

    await page.goto(`${BASE()}/?fresh=1#/pages/survey/sync/index`);
    await page.locator('.sync-pending').getByText('4 条').waitFor();

    // Reload: the page itself needs the network to load, so let the page through but keep the API unreachable.
    await page.route('**/api/**', (route) => route.abort('internetdisconnected'));
    await context.setOffline(false);
    await page.reload();
    await page.locator('.sync-pending').getByText('4 条').waitFor();
    await page.locator('.sync-now').click();
    await page.locator('.sync-error').getByText('网络连接失败').waitFor();
    await page.locator('.sync-pending').getByText('4 条').waitFor();
    await shot(page, 'sync-offline');

    // Back online: the browser's online event starts the upload by itself.
    await context.setOffline(true);
    await page.unroute('**/api/**');
    await context.setOffline(false);
    await page.locator('.sync-pending').getByText('0 条').waitFor({ timeout: 30_000 });
    await page.locator('.sync-error').waitFor({ state: 'detached' });
    await shot(page, 'sync');

    const items = await serverRecords(await apiToken());
    const households = items.filter((i) => i.type === 'household' && i.record?.headName === head);
    expect(households).toHaveLength(1);
    const hid = households[0].id;
    const laborers = items.filter((i) => i.type === 'laborer' && i.record?.householdId === hid);
    expect(laborers).toHaveLength(2);
    expect(new Set(laborers.map((l) => l.id)).size).toBe(2);
    // Only the region part of the ID number, and the age, never the birth date beside it.
    expect(laborers.map((l) => l.record!.idNumberMasked)).toEqual(['451425************', '451425************']);
    expect(laborers.every((l) => !('birthDate' in l.record!))).toBe(true);
    expect(laborers.find((l) => l.record!.sex === 'male')!.record).toMatchObject({
      age: ageOn('1990-01-01', new Date()),
      sex: 'male',
      education: 'junior',
      employmentStatus: 'unemployed',
      serviceNeeds: ['job_referral', 'skills_training'],
      trainingWanted: ['electrician'],
    });
    expect(items.filter((i) => i.type === 'visit' && i.record?.householdId === hid)).toHaveLength(1);

    // The area page now lists it as uploaded, found by a member's name.
    await page.goto(`${BASE()}/#/pages/survey/area/index`);
    await fill(page, 'survey-search', `${head.slice(0, 1)}小红`);
    await page.locator('.household-item', { hasText: head }).waitFor();
    expect(await page.locator('.household-item .tag--pending').count()).toBe(0);
    await fill(page, 'survey-search', '');
    await shot(page, 'area');
  });
});
