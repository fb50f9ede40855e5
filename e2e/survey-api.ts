import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import { fill } from './browser';

/** Talking to the API directly (as another device would) and signing the browser in, for the survey tests. */

export const BASE = (): string => process.env.E2E_BASE_URL!;

export interface Login {
  accessToken: string;
  user: { id: string; regionCode: string | null };
}

export async function apiLogin(username = 'officer1', password = 'jobbridge-demo'): Promise<Login> {
  const res = await fetch(`${BASE()}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${res.status}: ${await res.text()}`);
  return (await res.json()) as Login;
}

/** A WeChat sign-in's access token (the demo's codes, or any code for a new WeChat user). */
export async function wechatToken(code: string): Promise<string> {
  const res = await fetch(`${BASE()}/api/v1/auth/wechat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

export interface SyncResult {
  opId: string;
  status: string;
  entityId: string;
  version?: number;
  code?: string;
  message?: string;
}

export interface Op {
  type: string;
  entityId: string;
  baseVersion?: number;
  data: Record<string, unknown>;
}

/** POST /sync from a device other than the browser. */
export async function syncAs(token: string, deviceId: string, ops: Op[]): Promise<SyncResult[]> {
  const res = await fetch(`${BASE()}/api/v1/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ deviceId, ops: ops.map((o) => ({ opId: crypto.randomUUID(), ...o })) }),
  });
  if (res.status !== 200) throw new Error(`sync ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { results: SyncResult[] }).results;
}

export async function getJson<T>(token: string, path: string): Promise<T> {
  const res = await fetch(`${BASE()}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET ${path} ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Any call of the API as that account (a JSON body when given); the status and the parsed answer (null when none). */
export async function call<T>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${BASE()}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as T };
}

/** A valid resident ID number (GB 11643 check character) of 天等县 for the given birth date (YYYYMMDD), unique per call. */
let seq = crypto.randomInt(0, 300);
export function idNumber(birth: string, sex: 'male' | 'female' = 'male'): string {
  seq = (seq + 1) % 499;
  const first17 = `451425${birth}${String(seq * 2 + (sex === 'male' ? 1 : 0)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

/** A household with one laborer, registered on the server by another device; returns their ids. */
export async function seedHousehold(token: string, regionCode: string, headName: string, laborer: Record<string, unknown>): Promise<{ householdId: string; laborerId: string }> {
  const householdId = crypto.randomUUID();
  const laborerId = crypto.randomUUID();
  const results = await syncAs(token, 'e2e-other-device', [
    { type: 'household.create', entityId: householdId, data: { regionCode, address: '天等镇那料屯7号', headName, povertyStatus: 'lifted' } },
    {
      type: 'laborer.create',
      entityId: laborerId,
      data: {
        householdId,
        education: 'junior',
        health: 'healthy',
        skills: [],
        certificates: [],
        isHardToEmploy: false,
        employmentStatus: 'unemployed',
        migrationStatus: 'none',
        serviceNeeds: [],
        wantedJobCategories: [],
        workScopes: [],
        preferredPlaces: [],
        needsBoardLodging: false,
        trainingWanted: [],
        ...laborer,
      },
    },
  ]);
  if (results.some((r) => r.status !== 'applied')) throw new Error(`seed failed: ${JSON.stringify(results)}`);
  return { householdId, laborerId };
}

/** Waits until Taro's page slide (300 ms) is over: navigating again during it can leave the wrong page shown. */
export async function settle(page: Page, route = ''): Promise<void> {
  // The page's CSP forbids evaluating strings, so this is a selector: the newest page (of that route) has ended its slide-in.
  const id = route ? `[id^="${route.split('?')[0]}?"]` : '';
  await page.locator(`.taro_router > .taro_page.taro_page_stationed:last-child${id}`).waitFor({ state: 'attached', timeout: 10_000 });
}

/** Opens a page by its hash route (`/pages/...`) and waits for it to be on screen. */
export async function openPage(page: Page, route: string): Promise<void> {
  await settle(page);
  await page.goto(`${BASE()}/#${route}`);
  await settle(page, route);
}

/** Signs officer1 in through the login page and opens every survey page once while online (H5 loads a page's script on first visit). */
export async function openSurveyOnline(page: Page): Promise<void> {
  await page.goto(BASE() + '/');
  await fill(page, 'login-username', 'officer1');
  await fill(page, 'login-password', 'jobbridge-demo');
  await page.locator('.login-submit').click();
  await page.waitForURL(/pages\/officer\/index/);
  // Let the home settle and go in by a tap first: a hash change while a page is still opening leaves the new page hidden.
  await settle(page);
  await page.locator('.survey-entry-area').click();
  await page.waitForURL(/pages\/survey\/area\/index/);
  await page.locator('.household-add').waitFor();
  for (const p of ['household-edit/index', 'household/index?id=x', 'laborer/index?householdId=x', 'sync/index', 'attention/index', 'area/index']) {
    await openPage(page, `/pages/survey/${p}`);
    await page.locator(`.survey${VISIBLE}`).first().waitFor();
  }
  await page.locator(`.household-add${VISIBLE}`).waitFor();
}

export interface FeedItem {
  type: string;
  id: string;
  removed: boolean;
  record?: Record<string, unknown>;
}

/** The officer's whole area as the server has it, from the change feed. */
export async function feedAll(token: string): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  let since = '';
  for (;;) {
    const page = await getJson<{ items: FeedItem[]; cursor: string; hasMore: boolean }>(token, `/sync/changes?limit=1000${since ? `&since=${encodeURIComponent(since)}` : ''}`);
    items.push(...page.items);
    since = page.cursor;
    if (!page.hasMore) return items;
  }
}

/** Calls `fn` until `ok` holds of its answer (or the time is up) and returns the last answer. */
export async function poll<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Taro H5 keeps earlier pages of the stack in the DOM (hidden): only what is on screen counts. */
export const VISIBLE = ' >> visible=true';

/** Types into the visible Taro <Input> of that class. */
export async function fillVisible(page: Page, className: string, value: string): Promise<void> {
  await page.locator(`.${className} input${VISIBLE}`).first().fill(value);
}

/** Row height of Taro's H5 picker wheel, and where its selected row sits (picker-group.js). */
const WHEEL_ROW = 34;
const WHEEL_TOP = 102;

/**
 * Picks `iso` (YYYY-MM-DD) in the date picker of the form field `lf-<field>` as a person would:
 * opens it, drags the year, month and day wheels (at most three rows a drag) to the date, taps 确定.
 * Returns the gestures it took (taps and drags).
 */
export async function pickDate(page: Page, field: string, iso: string): Promise<number> {
  await page.locator(`.lf-${field}${VISIBLE}`).click();
  const picker = page.locator(`.weui-picker${VISIBLE}`);
  await picker.waitFor();
  let gestures = 1;
  const [y, m, d] = iso.split('-');
  const labels = [`${Number(y)}年`, `${m}月`, `${d}日`];
  for (let c = 0; c < labels.length; c++) {
    const wheel = picker.locator('.weui-picker__group').nth(c);
    for (let drags = 0; ; drags++) {
      if (drags > 60) throw new Error(`the ${labels[c]} wheel did not get there`);
      // Where the wheel is going (its inline transform), not where its animation is.
      const at = await wheel.evaluate(
        (el, args) => {
          const items = [...el.querySelectorAll('.weui-picker__item')].map((i) => i.textContent);
          const style = (el.querySelector('.weui-picker__content') as unknown as { style: { transform: string } }).style.transform;
          const offset = Number(/translate3d\(0(?:px)?, (-?[\d.]+)px/.exec(style)?.[1] ?? args.top);
          return { current: Math.round((args.top - offset) / args.row), target: items.indexOf(args.label) };
        },
        { label: labels[c], top: WHEEL_TOP, row: WHEEL_ROW },
      );
      if (at.target < 0) throw new Error(`no ${labels[c]} on the wheel`);
      const rows = Math.max(-3, Math.min(3, at.target - at.current));
      if (rows === 0) break;
      const box = (await wheel.boundingBox())!;
      const x = box.x + box.width / 2;
      const from = box.y + box.height / 2;
      await page.mouse.move(x, from);
      await page.mouse.down();
      await page.mouse.move(x, from - rows * WHEEL_ROW, { steps: 6 });
      await page.mouse.up();
      gestures++;
    }
  }
  await picker.locator('.weui-picker__action').getByText('确定', { exact: true }).click();
  await picker.waitFor({ state: 'hidden' });
  return gestures + 1;
}
