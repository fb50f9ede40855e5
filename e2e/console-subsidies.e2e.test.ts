import crypto from 'node:crypto';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { chinaDate, factValueText, type RuleCheck } from '@jobbridge/shared';
import { browserPerFile, desktopPage, SCREENSHOTS } from './browser';
import { consoleSignedIn, toastsGone } from './console-pages';
import { apiLogin, getJson, idNumber, seedHousehold } from './survey-api';

/**
 * The console's 补贴 rules, versions, exclusions and one person checked, which were API-only: county staff
 * create a rule from the form (a bad amount refused beside its field in the API's words), write a second
 * version from the first one's rows (a start date before the first refused beside the date), see what it
 * changed, set an exclusion (a subsidy with itself refused beside the field) and lift it, and check a laborer
 * of officer1's village (this file's own, working out of the province) against the rule with each condition's
 * value and record. Every effect is read back from the API.
 */

const browser = browserPerFile();

interface RuleView {
  id: string;
  name: string;
  versions: Array<{ version: number; effectiveFrom: string; effectiveTo: string | null; data: unknown }>;
}

/**
 * Picks an option of an antd Select: opens it, then clicks the option with that text in ITS dropdown (the one
 * holding the listbox its input controls): the dropdown of the select before may still be fading out, with
 * the same options.
 */
async function choose(page: Page, select: Locator, option: string): Promise<void> {
  await select.click();
  const list = await select.locator('input').first().getAttribute('aria-controls');
  await page.locator(`.ant-select-dropdown:has([id="${list}"]) .ant-select-item-option`).filter({ hasText: option }).first().click();
}

/** Types a date into an antd DatePicker and confirms it. */
async function typeDate(picker: Locator, date: string): Promise<void> {
  const input = picker.locator('input');
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

/** The error antd shows under the form item holding `control`. */
const explainOf = (control: Locator) => control.locator('xpath=ancestor::div[contains(@class,"ant-form-item ")][1]').locator('.ant-form-item-explain-error');

describe('console 补贴: rules and their versions, exclusions, one person checked', () => {
  it('creates a rule, versions it, sets and lifts an exclusion and checks a laborer, each bad field refused beside it', async () => {
    const staff = await apiLogin('tiandeng-staff');
    const officer = await apiLogin('officer1');
    const person = `韦查${crypto.randomInt(100, 999)}`;
    const { laborerId } = await seedHousehold(officer.accessToken, officer.user.regionCode!, person, {
      name: person,
      idNumber: idNumber('19880315'),
      relationToHead: 'self',
      employmentStatus: 'out_of_province',
      employedSince: '2025-03-01',
      workPlace: '广东省东莞市',
      migrationStatus: 'away',
    });
    const name = `求职补贴 e2e ${crypto.randomInt(1000, 9999)}`;
    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await page.locator('.ant-menu').getByText('补贴').click();
    await page.locator('.subsidies-tabs').getByText('补贴规则').click();
    await page.waitForURL(/\/console\/subsidies\/rules$/);

    // ---- a new rule: the first condition is there to start from; a second one added; an amount too big ----
    await page.getByTestId('rule-create').click();
    const form = page.locator('.ant-modal:visible');
    await form.locator('.rule-name-input').fill(name);
    await choose(page, form.locator('.rule-type'), '一次性求职创业补贴');
    // From a fixed day in the past, so that the second version (from today) always starts later.
    await typeDate(form.locator('.rule-effective-from'), '2025-01-01');
    await form.locator('.cond-add').click();
    await choose(page, form.locator('.cond-1 .leaf-field'), '就业状态');
    await choose(page, form.locator('.cond-1 .leaf-value'), '未就业');
    await form.locator('.tier-0 .tier-label').fill('求职补贴');
    await form.locator('.tier-0 .tier-amount input').fill('200000');
    await page.getByRole('button', { name: '新建规则' }).last().click();
    await explainOf(form.locator('.tier-0 .tier-amount')).getByText('金额应为 0.01 到 100,000.00 元（即 1 到 10,000,000 分的整数）').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-subsidies-rule-form.png') });
    let rules = await getJson<{ items: RuleView[] }>(staff.accessToken, '/subsidies/rules');
    expect(rules.items.some((r) => r.name === name)).toBe(false);

    await form.locator('.tier-0 .tier-amount input').fill('1000');
    await page.getByRole('button', { name: '新建规则' }).last().click();
    await form.waitFor({ state: 'hidden' });
    const row = page.locator('.subsidy-rules tr').filter({ hasText: name }).first();
    await row.getByText('第 1 版').waitFor();
    rules = await getJson<{ items: RuleView[] }>(staff.accessToken, '/subsidies/rules');
    const made = rules.items.find((r) => r.name === name)!;
    expect(made.versions).toHaveLength(1);
    expect(made.versions[0].effectiveFrom).toBe('2025-01-01');
    expect(made.versions[0].data).toEqual({
      conditions: { all: [{ field: 'povertyRelieved', eq: true }, { field: 'employmentStatus', eq: 'unemployed' }] },
      tiers: [{ when: null, amountFen: 100000, label: '求职补贴' }],
    });

    // ---- a new version from the first one's rows: a start before the first refused; then 1,200 yuan from today ----
    await row.locator('.rule-new-version').click();
    const version = page.locator('.ant-modal:visible');
    expect(await version.locator('.tier-0 .tier-amount input').inputValue()).toBe('1000.00');
    expect(await version.locator('.tier-0 .tier-label').inputValue()).toBe('求职补贴');
    await version.locator('.cond-1 .leaf-value').getByText('未就业(有劳动能力)').waitFor();
    await version.locator('.tier-0 .tier-amount input').fill('1200');
    await typeDate(version.locator('.rule-effective-from'), '2020-01-01');
    await page.getByRole('button', { name: '写入新版本' }).click();
    await explainOf(version.locator('.rule-effective-from')).getByText(`应晚于上一版本的生效日期（${made.versions[0].effectiveFrom}）`).waitFor();
    const today = chinaDate(new Date());
    await typeDate(version.locator('.rule-effective-from'), today);
    await page.getByRole('button', { name: '写入新版本' }).click();
    await version.waitFor({ state: 'hidden' });
    const changes = page.getByTestId('version-changes-2').first();
    await changes.locator('.change-removed').getByText('档次 1：求职补贴，1000.00 元').waitFor();
    await changes.locator('.change-added').getByText('档次 1：求职补贴，1200.00 元').waitFor();
    expect(await changes.locator('.change-added, .change-removed').count()).toBe(2);
    await row.getByText('第 2 版').waitFor();
    rules = await getJson<{ items: RuleView[] }>(staff.accessToken, '/subsidies/rules');
    const versions = rules.items.find((r) => r.name === name)!.versions;
    expect(versions.map((v) => [v.version, v.effectiveFrom])).toEqual([
      [2, today],
      [1, made.versions[0].effectiveFrom],
    ]);
    expect(versions[1].effectiveTo).not.toBeNull();
    expect((versions[0].data as { tiers: Array<{ amountFen: number }> }).tiers[0].amountFen).toBe(120000);
    await toastsGone(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-subsidies-rules.png'), fullPage: true });

    // ---- 查一个人: the laborer against the rule, each condition with its value and record ----
    await row.locator('.rule-evaluate').click();
    const check = page.locator('.ant-modal:visible');
    await check.locator('.evaluate-person input').fill(person);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: person }).first().click();
    await page.getByTestId('evaluate-submit').click();
    await check.locator('.evaluate-checks tbody tr').first().waitFor();
    const answer = await getJson<{ eligible: boolean; checks: RuleCheck[]; version: number }>(staff.accessToken, `/subsidies/rules/${made.id}/evaluate?laborerId=${laborerId}&period=${today.slice(0, 4)}`);
    expect(answer.version).toBe(2);
    // Works out of the province: poverty-relieved passes, unemployed fails with the status read from the record.
    expect(answer.eligible).toBe(false);
    expect(answer.checks.map((c) => [c.field, c.passed])).toEqual([
      ['povertyRelieved', true],
      ['employmentStatus', false],
    ]);
    await check.locator('.evaluate-verdict').getByText('不符合', { exact: true }).waitFor();
    await check.getByText('按第 2 版规则').waitFor();
    const rows = check.locator('.evaluate-checks tbody tr');
    expect(await rows.count()).toBe(answer.checks.length);
    for (const [i, c] of answer.checks.entries()) {
      const text = await rows.nth(i).innerText();
      expect(text).toContain(c.passed ? '✓' : '✗');
      expect(text).toContain(c.source.record === 'household' ? `户记录（第 ${c.source.version} 版）` : `劳动力记录（第 ${c.source.version} 版）`);
      expect(text).toContain(factValueText(c.field, c.value));
    }
    const status = rows.filter({ hasText: '就业状态 等于 未就业(有劳动能力)' });
    await status.getByText('省外务工').waitFor();
    await status.getByText('劳动力记录').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-subsidies-evaluate.png') });
    await check.locator('.ant-modal-close').click();

    // ---- exclusions: a subsidy with itself refused beside the field; a pair set, then lifted ----
    await page.locator('.subsidies-tabs').getByText('补贴互斥').click();
    const pair = '一次性求职创业补贴 ↔ 一次性交通补贴';
    const exclusions = page.locator('.subsidy-exclusions');
    await choose(page, exclusions.locator('.exclusion-a'), '一次性求职创业补贴');
    await choose(page, exclusions.locator('.exclusion-b'), '一次性求职创业补贴');
    await page.getByTestId('exclusion-submit').click();
    await explainOf(exclusions.locator('.exclusion-b')).getByText('不能与自身互斥').waitFor();
    await choose(page, exclusions.locator('.exclusion-b'), '一次性交通补贴');
    await page.getByTestId('exclusion-submit').click();
    await exclusions.locator('.exclusion-pair').getByText(pair).waitFor();
    const set = await getJson<{ items: Array<{ regionCode: string; typeA: string; typeB: string }> }>(staff.accessToken, '/subsidies/exclusions');
    expect(set.items).toContainEqual(expect.objectContaining({ regionCode: staff.user.regionCode, typeA: 'job_seeking', typeB: 'transport' }));
    await toastsGone(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-subsidies-exclusions.png') });
    await exclusions.locator('tr').filter({ hasText: pair }).locator('.exclusion-lift').click();
    await page.locator('.ant-popover:visible').getByRole('button', { name: '取消互斥' }).click();
    await exclusions.locator('.exclusion-pair').filter({ hasText: pair }).waitFor({ state: 'detached' });
    const lifted = await getJson<{ items: Array<{ regionCode: string; typeA: string; typeB: string }> }>(staff.accessToken, '/subsidies/exclusions');
    expect(lifted.items.some((e) => e.regionCode === staff.user.regionCode && e.typeA === 'job_seeking' && e.typeB === 'transport')).toBe(false);
  });

  it('a national admin (no area of their own) chooses the area of a run, a rule and an exclusion; the API’s word on it stands beside the field', async () => {
    const admin = await apiLogin('admin');
    expect(admin.user.regionCode).toBeNull();
    // A province other than the demo county's: the run below is refused there (outside the rule's area).
    const provinces = await getJson<{ items: Array<{ code: string; name: string }> }>(admin.accessToken, '/regions');
    const elsewhere = provinces.items.find((r) => r.code !== '45')!;
    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'admin');
    await page.locator('.ant-menu').getByText('补贴').click();
    const runs = page.locator('.subsidy-runs');
    const area = runs.locator('.subsidy-area');
    const pick = async (names: string[]) => {
      await area.locator('.ant-cascader').click();
      for (const n of names) await page.locator('.ant-cascader-dropdown:visible .ant-cascader-menu-item').filter({ hasText: n }).first().click();
      await page.keyboard.press('Escape');
    };
    await area.getByText('请选择区域').waitFor();

    // ---- an eligibility run: no area chosen, then one outside the rule's, then the township ----
    await choose(page, runs.locator('.run-rule'), '脱贫劳动力一次性交通补贴');
    await page.getByTestId('run-submit').click();
    await explainOf(area.locator('.ant-cascader')).getByText('必填', { exact: true }).waitFor();
    await runs.locator('.ant-alert').getByText('提交的内容有误：区域：必填').waitFor();
    await toastsGone(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-subsidies-national-area.png') });
    await pick([elsewhere.name]);
    await page.getByTestId('run-submit').click();
    await explainOf(area.locator('.ant-cascader')).getByText('不在该规则的适用区域内').waitFor();
    const before = await getJson<{ items: Array<{ id: string }> }>(admin.accessToken, '/subsidies/runs');
    await pick(['广西壮族自治区', '崇左市', '天等县', '天等镇']);
    await page.getByTestId('run-submit').click();
    await page.locator('.ant-message').getByText('筛查完成', { exact: false }).waitFor();
    const after = await getJson<{ items: Array<{ id: string; regionCode: string }> }>(admin.accessToken, '/subsidies/runs');
    const made = after.items.filter((r) => !before.items.some((b) => b.id === r.id));
    expect(made.map((r) => r.regionCode)).toContain('451425100');

    // ---- 新建规则: 制定区域 not chosen is refused beside it ----
    await page.locator('.subsidies-tabs').getByText('补贴规则').click();
    await page.getByTestId('rule-create').click();
    const form = page.locator('.ant-modal:visible');
    await form.locator('.rule-name-input').fill(`全国账号的规则 e2e ${crypto.randomInt(1000, 9999)}`);
    await choose(page, form.locator('.rule-type'), '一次性交通补贴');
    await typeDate(form.locator('.rule-effective-from'), '2025-01-01');
    await form.locator('.tier-0 .tier-label').fill('交通补贴');
    await form.locator('.tier-0 .tier-amount input').fill('300');
    await form.locator('.subsidy-area').getByText('请选择区域').waitFor();
    await page.getByRole('button', { name: '新建规则' }).last().click();
    await explainOf(form.locator('.subsidy-area .ant-cascader')).getByText('必填', { exact: true }).waitFor();
    await form.locator('.ant-modal-close').click();
    await form.waitFor({ state: 'hidden' });

    // ---- an exclusion: no area refused beside it; 天等镇 chosen, set, read back, lifted ----
    await page.locator('.subsidies-tabs').getByText('补贴互斥').click();
    const exclusions = page.locator('.subsidy-exclusions');
    await choose(page, exclusions.locator('.exclusion-a'), '一次性求职创业补贴');
    await choose(page, exclusions.locator('.exclusion-b'), '一次性交通补贴');
    await page.getByTestId('exclusion-submit').click();
    await explainOf(exclusions.locator('.subsidy-area .ant-cascader')).getByText('必填', { exact: true }).waitFor();
    await exclusions.locator('.subsidy-area .ant-cascader').click();
    for (const n of ['广西壮族自治区', '崇左市', '天等县', '天等镇']) await page.locator('.ant-cascader-dropdown:visible .ant-cascader-menu-item').filter({ hasText: n }).first().click();
    await page.keyboard.press('Escape');
    await page.getByTestId('exclusion-submit').click();
    const row = exclusions.locator('tr').filter({ hasText: '天等镇' }).filter({ hasText: '一次性求职创业补贴 ↔ 一次性交通补贴' });
    await row.waitFor();
    const set = await getJson<{ items: Array<{ regionCode: string; typeA: string; typeB: string }> }>(admin.accessToken, '/subsidies/exclusions');
    expect(set.items).toContainEqual(expect.objectContaining({ regionCode: '451425100', typeA: 'job_seeking', typeB: 'transport' }));
    await row.locator('.exclusion-lift').click();
    await page.locator('.ant-popover:visible').getByRole('button', { name: '取消互斥' }).click();
    await row.waitFor({ state: 'detached' });
    const lifted = await getJson<{ items: Array<{ regionCode: string; typeA: string; typeB: string }> }>(admin.accessToken, '/subsidies/exclusions');
    expect(lifted.items.some((e) => e.regionCode === '451425100' && e.typeA === 'job_seeking' && e.typeB === 'transport')).toBe(false);
  });
});
