import { browserPerFile, desktopPage, phonePage, shot } from './browser';
import { consoleSignedIn, dialogsSettled, errorOf, item, toastsGone } from './console-pages';
import { passwordSignIn, visible, wechatSignIn } from './phone';
import { apiLogin, BASE, getJson, idNumber, seedHousehold, settle } from './survey-api';

/**
 * Training end to end, in the console and the H5 build against the real API, on the demo course: county staff
 * find a villager who asked for electrician training in the needs list (培训) and enroll them in one action;
 * officer1 opens the course on the phone (the roster is kept there), goes offline, takes attendance (the
 * fourth session of the demo's nearly finished trainee, and the newcomer's first), comes back online and syncs;
 * the certificate is issued by itself, shows in the console, and its public verification page shows it.
 */

const COURSE = '低压电工订单培训班（演示）';
const browser = browserPerFile();

interface Enrollment {
  id: string;
  name: string;
  status: string;
  presentSessions: number[];
  certificateSerial: string | null;
}

describe('training: needs list → enrollment → offline attendance → certificate → verification', () => {
  it('staff enroll from the needs list, the officer takes attendance offline, the certificate is issued and verifies', async () => {
    const staff = await apiLogin('tiandeng-staff');
    const officer = await apiLogin('officer1');
    const course = (await getJson<{ items: Array<{ id: string; title: string }> }>(staff.accessToken, '/training/courses')).items.find((c) => c.title === COURSE)!;
    expect(course).toBeDefined();
    const roster = () => getJson<{ items: Enrollment[] }>(staff.accessToken, `/training/courses/${course.id}/enrollments`).then((r) => r.items);
    // The demo's trainee one session from the certificate (three attended, a passing score).
    const near = (await roster()).find((e) => e.presentSessions.length === 3)!;
    expect(near.certificateSerial).toBeNull();
    // A new villager whose survey asks for electrician training (surveyed here).
    const newcomer = '陆明辉';
    await seedHousehold(officer.accessToken, officer.user.regionCode!, newcomer, { name: newcomer, idNumber: idNumber('19960512'), trainingWanted: ['electrician', 'welder'] });

    // ---- county staff: the needs list, enrolling from it in one action ----
    const desk = await desktopPage(browser());
    await consoleSignedIn(desk, 'tiandeng-staff');
    await desk.getByRole('menuitem', { name: /培训/ }).click();
    await desk.locator('.course-title').filter({ hasText: COURSE }).waitFor();
    await desk.getByRole('tab', { name: '培训需求清单' }).click();
    await desk.locator('.needs-list').getByLabel('姓名').fill(newcomer);
    await desk.locator('.needs-list').getByRole('button', { name: /查\s*询/ }).click();
    // The filtered answer (the unfiltered list has the newcomer too, beside the demo's 黄志强 who wants the same training).
    await desk.locator('.needs-list .table-tools').getByText('共 1 人').waitFor();
    await desk.locator('.needs-table').getByText(newcomer).waitFor();
    await desk.locator('.needs-table').getByText('电工、焊工').waitFor();
    await desk.locator('.enroll-course').click();
    await desk.locator('.ant-select-item-option').filter({ hasText: COURSE }).click();
    await desk.locator('.enroll-from-needs').click();
    await desk.locator('.ant-modal-confirm').getByRole('button', { name: /报\s*名/ }).click();
    await desk.locator('.enroll-result').getByText(/占座 1 人，候补 0 人/).waitFor();
    await shot(desk, 'console-training-needs', true);
    expect((await roster()).find((e) => e.name === newcomer)).toMatchObject({ status: 'proposed' });

    // ---- officer1 on the phone: the roster kept, attendance with no network ----
    const phone = await phonePage(browser());
    await passwordSignIn(phone, 'officer1', 'officer');
    await visible(phone, '.training-entry').click();
    await phone.waitForURL(/pages\/training\/officer\/index/);
    await visible(phone, '.training-course').filter({ hasText: COURSE }).click();
    await settle(phone);
    await visible(phone, '.roster-person').filter({ hasText: newcomer }).waitFor();

    await phone.context().setOffline(true);
    await visible(phone, '.roster-session-chip').filter({ hasText: '第 4 次' }).click();
    await visible(phone, '.roster-person').filter({ hasText: near.name }).locator('.roster-mark').click();
    await visible(phone, '.roster-person').filter({ hasText: near.name }).getByText('已到·待同步').waitFor();
    await visible(phone, '.roster-session-chip').filter({ hasText: '第 1 次' }).click();
    await visible(phone, '.roster-person').filter({ hasText: newcomer }).locator('.roster-mark').click();
    await visible(phone, '.roster-pending').getByText('2 条点名记录待同步').waitFor();
    await shot(phone, 'training-attendance-offline');
    // Nothing has reached the server yet.
    expect((await roster()).find((e) => e.id === near.id)!.presentSessions).toEqual([1, 2, 3]);

    // Back online: the outbox sends the marks; the fourth session completes the course.
    await phone.context().setOffline(false);
    await visible(phone, '.roster-sync').click();
    await visible(phone, '.roster-pending').getByText('点名记录都已同步').waitFor();
    const after = await roster();
    const serial = after.find((e) => e.id === near.id)!.certificateSerial!;
    expect(serial).toMatch(/^451425-\d{4}-\d{6}$/);
    expect(after.find((e) => e.name === newcomer)!.presentSessions).toEqual([1]);
    await visible(phone, '.roster-person').filter({ hasText: near.name }).getByText(new RegExp(`已结业 ${serial}`)).waitFor();
    await shot(phone, 'training-attendance-synced');

    // ---- the certificate in the console, and its public verification page ----
    await desk.getByRole('tab', { name: '培训课程' }).click();
    await desk.locator('.course-title').filter({ hasText: COURSE }).click();
    await desk.locator('.certificate-list').getByText(serial).waitFor();
    await desk.locator('.enrollment-list').getByText(newcomer).waitFor();
    await shot(desk, 'console-training-course', true);
    const certs = await getJson<{ items: Array<{ serial: string; verifyPath: string; holderName: string }> }>(staff.accessToken, `/training/certificates?courseId=${course.id}`);
    const cert = certs.items.find((c) => c.serial === serial)!;
    const verify = await desktopPage(browser());
    await verify.goto(`${BASE()}${cert.verifyPath}`);
    await verify.getByText('此证书有效').waitFor();
    await verify.getByText(near.name, { exact: true }).waitFor();
    await verify.getByText(serial, { exact: true }).waitFor();
    await shot(verify, 'training-verify');

    // ---- the worker: the home's 技能培训, their course and (the demo's bound trainee) the certificate ----
    const bound: Record<string, string> = { 黄志强: 'demo-worker-1', 农丽芳: 'demo-worker-2', 马文杰: 'demo-worker-3' };
    const worker = await phonePage(browser());
    await wechatSignIn(worker, bound[near.name] ?? 'demo-worker-1');
    await visible(worker, '.worker-training').waitFor();
    // The shot once the home has loaded: the groups shown and the recommendations no longer loading.
    await visible(worker, '.worker-groups').waitFor();
    await visible(worker, '.jobs-loading').waitFor({ state: 'hidden' });
    await shot(worker, 'training-worker-home');
    await visible(worker, '.worker-training').click();
    await worker.waitForURL(/pages\/training\/mine\/index/);
    await visible(worker, '.my-course-title').filter({ hasText: COURSE }).waitFor();
    if (bound[near.name]) await visible(worker, '.my-certificate-serial').getByText(serial).waitFor();
    await shot(worker, 'training-worker-mine');
  }, 120_000); // four browsers (console, officer, verification, worker) in one story

  it('staff enroll one person at the desk, with their consent given in person; the same person twice is refused beside the field', async () => {
    const staff = await apiLogin('tiandeng-staff');
    const officer = await apiLogin('officer1');
    const course = (await getJson<{ items: Array<{ id: string; title: string; capacity: number; seatsTaken: number }> }>(staff.accessToken, '/training/courses')).items.find((c) => c.title === COURSE)!;
    const person = `韦到场${Date.now() % 100_000}`;
    await seedHousehold(officer.accessToken, officer.user.regionCode!, person, { name: person, idNumber: idNumber('19930817') });

    const desk = await desktopPage(browser());
    await consoleSignedIn(desk, 'tiandeng-staff');
    await desk.getByRole('menuitem', { name: /培训/ }).click();
    await desk.locator('.course-title').filter({ hasText: COURSE }).click();
    await desk.getByTestId('enroll-one').click();
    const modal = desk.locator('.ant-modal').filter({ has: desk.locator('.enroll-one-form') });
    await modal.locator('.enroll-one-form').waitFor();
    // Nothing chosen: said beside the field, nothing sent.
    await modal.locator('.ant-btn-primary').click();
    await errorOf(modal, '劳动力').getByText('请输入姓名查找并选择').waitFor();
    const pick = async () => {
      await item(modal, '劳动力').locator('.ant-select').click();
      await item(modal, '劳动力').locator('input').fill(person);
      await desk.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: person }).click();
    };
    await pick();
    await modal.getByText('本人已当面同意').click();
    await modal.locator('.ant-btn-primary').click();
    const seated = course.seatsTaken < course.capacity;
    await desk.locator('.ant-message-notice').getByText(seated ? `${person}：已报名` : new RegExp(`${person}：名额已满，候补第`)).waitFor();
    const theirs = (await getJson<{ items: Array<{ name: string; status: string; consented: boolean; via: string }> }>(staff.accessToken, `/training/courses/${course.id}/enrollments`)).items.find((e) => e.name === person);
    expect(theirs).toMatchObject(seated ? { status: 'enrolled', consented: true, via: 'staff' } : { status: 'waitlisted' });
    await desk.locator('.enrollment-list').getByText(person).waitFor();

    // The same person again: the API's refusal beside the field.
    await desk.getByTestId('enroll-one').click();
    await modal.locator('.enroll-one-form').waitFor();
    await pick();
    await modal.locator('.ant-btn-primary').click();
    await errorOf(modal, '劳动力').getByText('已报名此课程').waitFor();
    await toastsGone(desk);
    await dialogsSettled(desk);
    await shot(desk, 'console-training-enroll-one');
  }, 90_000);
});
