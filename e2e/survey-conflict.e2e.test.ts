import path from 'node:path';
import type { Page } from 'playwright-core';
import { browserPerFile, phonePage, SCREENSHOTS } from './browser';
import { apiLogin, feedAll, fillVisible, getJson, idNumber, openSurveyOnline, openPage, poll, seedHousehold, settle, syncAs } from './survey-api';

/**
 * What the officer must decide in 同步中心, in the H5 build against the real API:
 * a same-field conflict with another device, resolved field by field in the UI,
 * and an op the server refuses (the same ID number registered twice), with its reason:
 * corrected in its own form (the reason beside the field) and resent, or dropped after a question.
 */
const browser = browserPerFile();

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `survey-${name}.png`), fullPage: true });
const chip = (page: Page, field: string, label: string) => page.locator(`.choice-${field} .chip >> visible=true`, { hasText: label }).first().click();

interface LaborerView {
  name: string;
  phone: string | null;
  version: number;
}

describe('同步中心: conflicts and refusals', () => {
  it('a field edited offline here and on the server meanwhile is shown mine vs server\'s; the chosen values reach the server', async () => {
    const { accessToken: token, user } = await apiLogin();
    const head = `韦冲突${Date.now() % 100000}`;
    const { householdId, laborerId } = await seedHousehold(token, user.regionCode!, head, { name: '韦立新', idNumber: idNumber('19850312') });

    const page = await phonePage(browser());
    const context = page.context();
    await openSurveyOnline(page);
    await page.locator('.household-item >> visible=true', { hasText: head }).waitFor();
    await page.locator('.household-item >> visible=true', { hasText: head }).click();
    await page.locator('.member-item >> visible=true', { hasText: '韦立新' }).waitFor();

    // Offline, the officer corrects the name and adds a phone number.
    await context.setOffline(true);
    await page.locator('.member-item >> visible=true', { hasText: '韦立新' }).click();
    await page.locator('.lf-step-title >> visible=true').getByText('身份信息').waitFor();
    await fillVisible(page, 'lf-name', '韦立鑫');
    await fillVisible(page, 'lf-phone', '13800002222');
    for (const title of ['基本情况', '就业与外出', '需求与意愿', '核对保存']) {
      await page.locator('.lf-next >> visible=true').click();
      await page.locator('.lf-step-title >> visible=true').getByText(title).waitFor();
    }
    await page.locator('.lf-save >> visible=true').click();
    await page.locator('.member-item >> visible=true', { hasText: '韦立鑫' }).locator('.tag--pending').waitFor();

    // Meanwhile the same two fields are changed on the server from another device.
    const [other] = await syncAs(token, 'e2e-other-device', [{ type: 'laborer.update', entityId: laborerId, baseVersion: 1, data: { name: '韦立昕', phone: '13900001111' } }]);
    expect(other).toMatchObject({ status: 'applied', version: 2 });

    await openPage(page, `/pages/survey/sync/index`);
    await page.locator('.sync-pending >> visible=true').getByText('1 条').waitFor();
    await context.setOffline(false);
    await page.locator('.sync-now >> visible=true').click();
    const card = page.locator('.conflict-item >> visible=true');
    await card.waitFor({ timeout: 30_000 });
    await page.locator('.sync-pending >> visible=true').getByText('0 条').waitFor();
    // Nothing was overwritten: the server still holds the other device's values.
    expect(await getJson<LaborerView>(token, `/laborers/${laborerId}`)).toMatchObject({ name: '韦立昕', phone: '13900001111', version: 2 });

    const nameRow = card.locator('.conflict-row', { hasText: '姓名' });
    const phoneRow = card.locator('.conflict-row', { hasText: '手机号' });
    expect(await card.locator('.conflict-row').count()).toBe(2);
    expect(await nameRow.locator('.conflict-mine').innerText()).toBe('韦立鑫');
    expect(await nameRow.locator('.conflict-server').innerText()).toBe('韦立昕');
    expect(await phoneRow.locator('.conflict-mine').innerText()).toBe('13800002222');
    expect(await phoneRow.locator('.conflict-server').innerText()).toBe('13900001111');

    // Keep my name, take the server's phone number.
    await nameRow.locator('.conflict-mine').click();
    await phoneRow.locator('.conflict-server').click();
    await phoneRow.locator('.conflict-server.conflict__value--on').waitFor();
    await nameRow.locator('.conflict-mine.conflict__value--on').waitFor();
    await shot(page, 'conflict');
    await card.locator('.conflict-submit').click();
    await card.waitFor({ state: 'detached' });
    await page.locator('.sync-pending >> visible=true').getByText('0 条').waitFor({ timeout: 30_000 });
    await page.locator('.section__empty >> visible=true', { hasText: '没有需要处理的记录' }).waitFor();

    const final = await poll(() => getJson<LaborerView>(token, `/laborers/${laborerId}`), (l) => l.version >= 3);
    expect(final).toMatchObject({ name: '韦立鑫', phone: '13900001111', version: 3 });

    // The phone's copy agrees with the server.
    await openPage(page, `/pages/survey/household/index?id=${householdId}`);
    await page.locator('.member-item >> visible=true', { hasText: '韦立鑫' }).waitFor();
    expect(await page.locator('.member-item .tag--pending >> visible=true').count()).toBe(0);
    await context.close();
  });

  it('a refused laborer (ID number already registered) is corrected in its form, the reason beside the field, and resent; 放弃此条 asks first', async () => {
    const { accessToken: token, user } = await apiLogin();
    const head = `黄重复${Date.now() % 100000}`;
    const taken = idNumber('19920707', 'female');
    const { householdId } = await seedHousehold(token, user.regionCode!, head, { name: '黄秀英', idNumber: taken });
    const laborersOnServer = async () => (await feedAll(token)).filter((i) => i.type === 'laborer' && i.record?.householdId === householdId).map((i) => i.record?.name);

    const page = await phonePage(browser());
    await openSurveyOnline(page);
    await openPage(page, `/pages/survey/household/index?id=${householdId}`);
    await page.locator('.member-item >> visible=true', { hasText: '黄秀英' }).waitFor();

    /** The same person registered a second time, under another name. */
    const registerTwin = async (name: string) => {
      await page.locator('.laborer-add >> visible=true').click();
      await page.locator('.lf-step-title >> visible=true').getByText('身份信息').waitFor();
      await fillVisible(page, 'lf-name', name);
      await fillVisible(page, 'lf-idNumber', taken);
      await page.locator('.lf-id-info >> visible=true').waitFor();
      await chip(page, 'relationToHead', '子女');
      await page.locator('.lf-next >> visible=true').click();
      await chip(page, 'education', '高中');
      await page.locator('.lf-next >> visible=true').click();
      await chip(page, 'employmentStatus', '未就业');
      await page.locator('.lf-next >> visible=true').click();
      await page.locator('.lf-next >> visible=true').click();
      await page.locator('.lf-save >> visible=true').click();
      await page.locator('.member-refused >> visible=true', { hasText: name }).getByText('该身份证号已登记').waitFor({ timeout: 30_000 });
    };
    await registerTwin('黄秀音');
    await shot(page, 'household-refused');

    await openPage(page, `/pages/survey/sync/index`);
    const item = page.locator('.rejected-item >> visible=true', { hasText: '黄秀音' });
    await item.waitFor();
    expect(await item.locator('.rejected-message').innerText()).toBe('该身份证号已登记，同一人不能重复登记');
    expect(await item.innerText()).toContain('身份证号：该身份证号已在本区域登记');
    expect(await item.innerText()).toContain('登记劳动力');
    await page.locator('.sync-pending >> visible=true').getByText('0 条').waitFor();
    await shot(page, 'rejected');

    // 放弃此条 asks first and says what would be lost; 保留 keeps it.
    const modal = page.locator('.taro-modal__content >> visible=true');
    await item.locator('.rejected-discard').click();
    await modal.waitFor();
    expect(await modal.locator('.taro-modal__title').innerText()).toBe('放弃这条记录？');
    expect(await modal.locator('.taro-modal__text').innerText()).toBe('登记劳动力「黄秀音」的全部登记内容还没有上传到服务器。放弃后，它会从这部手机上删除，不会上传，也无法找回。');
    // Taro's modal fades in: the picture is taken once it is fully there.
    const wrapper = page.locator('.taro__modal');
    await poll(() => wrapper.evaluate((el) => (globalThis as unknown as { getComputedStyle: (e: unknown) => { opacity: string } }).getComputedStyle(el).opacity), (o) => o === '1');
    await shot(page, 'discard-asks');
    await modal.locator('.taro-modal__foot').getByText('保留', { exact: true }).click();
    await modal.waitFor({ state: 'hidden' });
    await item.waitFor();

    // 修改后重新提交 opens the registration as it was refused, at the ID number with the server's reason beside it.
    await item.locator('.rejected-fix').click();
    await page.waitForURL(/pages\/survey\/laborer\/index\?fix=/);
    await page.locator('.lf-step-title >> visible=true').getByText('身份信息').waitFor();
    expect(await page.locator('.lf-refused >> visible=true').innerText()).toContain('该身份证号已登记，同一人不能重复登记');
    expect(await page.locator('.lf-name input >> visible=true').inputValue()).toBe('黄秀音');
    expect(await page.locator('.lf-idNumber input >> visible=true').inputValue()).toBe(taken);
    expect(await page.locator('.lf-error-idNumber >> visible=true').innerText()).toBe('该身份证号已在本区域登记');
    await settle(page);
    await shot(page, 'refused-fix');
    // The officer had typed the wrong number: corrected, the server's reason goes.
    const right = idNumber('19950303', 'female');
    await fillVisible(page, 'lf-idNumber', right);
    await page.locator('.lf-id-info >> visible=true').waitFor();
    expect(await page.locator('.lf-error-idNumber >> visible=true').count()).toBe(0);
    for (const title of ['基本情况', '就业与外出', '需求与意愿', '核对保存']) {
      await page.locator('.lf-next >> visible=true').click();
      await page.locator('.lf-step-title >> visible=true').getByText(title).waitFor();
    }
    await page.locator('.lf-save >> visible=true').click();
    await page.waitForURL(/pages\/survey\/sync\/index/);
    await page.locator('.section__empty >> visible=true', { hasText: '没有需要处理的记录' }).waitFor({ timeout: 30_000 });
    expect((await poll(laborersOnServer, (names) => names.length === 2)).sort()).toEqual(['黄秀英', '黄秀音'].sort());

    // A refusal dropped after the question: gone from the phone, never on the server.
    await openPage(page, `/pages/survey/household/index?id=${householdId}`);
    await registerTwin('黄秀银');
    await openPage(page, `/pages/survey/sync/index`);
    const again = page.locator('.rejected-item >> visible=true', { hasText: '黄秀银' });
    await again.locator('.rejected-discard').click();
    await modal.locator('.taro-modal__foot').getByText('放弃', { exact: true }).click();
    await page.locator('.section__empty >> visible=true', { hasText: '没有需要处理的记录' }).waitFor();
    expect((await laborersOnServer()).sort()).toEqual(['黄秀英', '黄秀音'].sort());
    await page.context().close();
  });
});
