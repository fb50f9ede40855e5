import { browserPerFile, desktopPage, fill, phonePage, shot } from './browser';
import { consoleSignedIn } from './console-pages';
import { passwordSignIn, phoneShot, visible, wechatSignIn } from './phone';
import { apiLogin, BASE, getJson, openPage, settle, wechatToken } from './survey-api';

/**
 * Point-to-point transport end to end, in the H5 build and the console against the real API, on the demo trip
 * to Jiangmen: demo-worker-1 sees their seat, pickup point and boarding QR code; the escort (escort1)
 * downloads the manifest, goes offline, checks the worker in by their code and another passenger by name
 * (each check on the phone alone; a second scan says who checked them in), comes back online and the
 * check-ins reach the server; the coach departs; the employer's contact (demo-employer-1) confirms receipt;
 * county staff see the roster and counts in the console.
 */

const TITLE = '天等—江门 节后返岗专车（演示）';
const browser = browserPerFile();

interface Roster {
  items: Array<{ name: string; boardedAt: string | null; boardedByName: string | null; handedOverAt: string | null }>;
}

describe('point-to-point transport: roster → offline boarding → handover', () => {
  it('the worker shows a boarding code, the escort checks the coach in offline, the employer receives them', async () => {
    const staff = await apiLogin('tiandeng-staff');
    const trip = (await getJson<{ items: Array<{ id: string; title: string }> }>(staff.accessToken, '/transport/trips')).items.find((t) => t.title === TITLE)!;
    expect(trip).toBeDefined();

    // ---- the worker: seat, pickup point, boarding QR ----
    const worker = await phonePage(browser());
    await wechatSignIn(worker, 'demo-worker-1');
    await visible(worker, '.worker-transport').click();
    await worker.waitForURL(/pages\/transport\/mine\/index/);
    await visible(worker, '.my-seat-trip').getByText(TITLE).waitFor();
    await visible(worker, '.my-pickup').getByText('天等镇政府门口').waitFor();
    await visible(worker, '.my-qr').waitFor();
    const mine = await getJson<{ seats: Array<{ trip: { id: string }; qr: string; checkCode: string }> }>(await wechatToken('demo-worker-1'), '/me/transport');
    const seat = mine.seats.find((s) => s.trip.id === trip.id)!;
    await visible(worker, '.my-check-code').getByText(seat.checkCode).waitFor();
    await phoneShot(worker, 'transport-worker-seat');

    // ---- the escort: manifest online, then boarding with no network ----
    const escort = await phonePage(browser());
    await passwordSignIn(escort, 'escort1', 'officer');
    await visible(escort, '.transport-entry').click();
    await escort.waitForURL(/pages\/transport\/escort\/index/);
    await visible(escort, '.escort-trip').filter({ hasText: TITLE }).click();
    await settle(escort);
    await visible(escort, '.manifest-download').click();
    await visible(escort, '.escort-count').getByText('已登车 0 / 4 人').waitFor();

    await escort.context().setOffline(true);
    await fill(escort, 'escort-code', seat.qr);
    await visible(escort, '.escort-code-submit').click();
    await visible(escort, '.escort-result').getByText('黄志强 核验登车').waitFor();
    // The same code again: who checked them in, and when, from the phone alone.
    await fill(escort, 'escort-code', seat.qr);
    await visible(escort, '.escort-code-submit').click();
    await visible(escort, '.escort-result').getByText(/黄志强：已由护送员·韦小军于.+核验登车/).waitFor();
    // Someone without their phone: found by name.
    await fill(escort, 'escort-search', '农丽芳');
    await visible(escort, '.escort-board-by-name').click();
    await visible(escort, '.escort-result').getByText('农丽芳 核验登车').waitFor();
    await visible(escort, '.escort-count').getByText('已登车 2 / 4 人').waitFor();
    await visible(escort, '.escort-pending').getByText('2 条核验记录待同步').waitFor();
    await phoneShot(escort, 'transport-escort-offline');
    // Nothing has reached the server yet.
    const before = await getJson<Roster>(staff.accessToken, `/transport/trips/${trip.id}/passengers`);
    expect(before.items.filter((p) => p.boardedAt)).toHaveLength(0);

    // Back online: the outbox sends the check-ins.
    await escort.context().setOffline(false);
    await visible(escort, '.escort-sync').click();
    await visible(escort, '.escort-pending').getByText('核验记录都已同步').waitFor();
    const after = await getJson<Roster>(staff.accessToken, `/transport/trips/${trip.id}/passengers`);
    expect(after.items.filter((p) => p.boardedAt).map((p) => [p.name, p.boardedByName]).sort()).toEqual([
      ['农丽芳', '护送员·韦小军'],
      ['黄志强', '护送员·韦小军'],
    ]);
    await visible(escort, '.escort-depart').click();
    await visible(escort, '.escort-message').getByText('车次已发车').waitFor();

    // ---- the employer's contact: handover at the destination ----
    const employer = await phonePage(browser());
    await wechatSignIn(employer, 'demo-employer-1', 'employer');
    await visible(employer, '.employer-handover').click();
    await employer.waitForURL(/pages\/transport\/handover\/index/);
    await visible(employer, '.handover-passenger').nth(1).waitFor();
    expect(await visible(employer, '.handover-passenger').count()).toBe(2);
    await visible(employer, '.handover-passenger').filter({ hasText: '黄志强' }).locator('.handover-confirm').click();
    await visible(employer, '.handover-message').getByText('已确认接收 黄志强').waitFor();
    await visible(employer, '.handover-passenger').filter({ hasText: '黄志强' }).locator('.handover-done').waitFor();
    await phoneShot(employer, 'transport-handover');

    // ---- county staff: the roster and counts in the console ----
    const desk = await desktopPage(browser());
    await consoleSignedIn(desk, 'tiandeng-staff');
    await desk.goto(`${BASE()}/console/transport`);
    await desk.locator('.trip-title').filter({ hasText: TITLE }).click();
    await desk.locator('.trip-roster').getByText('护送员·韦小军').first().waitFor();
    await desk.getByRole('button', { name: '导出 Excel' }).or(desk.getByRole('button', { name: /导出/ })).first().waitFor();
    await shot(desk, 'console-transport', true);
    const counts = await getJson<{ counts: { booked: number; boarded: number; povertyBoarded: number; noShows: number; handedOver: number } }>(staff.accessToken, `/transport/trips/${trip.id}`);
    expect(counts.counts).toEqual({ booked: 4, boarded: 2, povertyBoarded: 1, noShows: 2, handedOver: 1 });
    await openPage(worker, '/pages/transport/mine/index');
    await visible(worker, '.my-boarded').waitFor();
  });

  it('a trip home for the festival says 返乡 on the escort’s and the worker’s pages, from the trip’s direction, whatever its title', async () => {
    const staff = await apiLogin('tiandeng-staff');
    const escortAccount = await apiLogin('escort1');
    // A title that doesn't say which way: only the direction does.
    const title = `江门—天等 专车（浏览器测试 ${Date.now()}）`;
    const res = await fetch(`${BASE()}/api/v1/transport/trips`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${staff.accessToken}` },
      body: JSON.stringify({ direction: 'return', title, departureAt: new Date(Date.now() + 20 * 86_400_000).toISOString(), vehicle: '桂F·R2027', seats: 30, partnerRegionCode: '4407', destination: '广西崇左市天等县', escortIds: [escortAccount.user.id] }),
    });
    if (res.status !== 201) throw new Error(`POST /transport/trips ${res.status}: ${await res.text()}`);

    const worker = await phonePage(browser());
    await wechatSignIn(worker, 'demo-worker-1');
    await openPage(worker, '/pages/transport/mine/index');
    const open = visible(worker, '.open-trip').filter({ hasText: title });
    await open.locator('.tr-direction').getByText('返乡', { exact: true }).waitFor();
    // The demo's outbound seat says so too.
    await visible(worker, '.my-seat').filter({ hasText: TITLE }).locator('.tr-direction').getByText('外出务工').waitFor();
    await open.scrollIntoViewIfNeeded();
    await phoneShot(worker, 'transport-worker-return-trip');

    const escort = await phonePage(browser());
    await passwordSignIn(escort, 'escort1', 'officer');
    await openPage(escort, '/pages/transport/escort/index');
    const row = visible(escort, '.escort-trip').filter({ hasText: title });
    await row.locator('.tr-direction').getByText('返乡', { exact: true }).waitFor();
    await phoneShot(escort, 'transport-escort-trips');
    await row.click();
    await settle(escort);
    await visible(escort, '.manifest-download').click();
    await visible(escort, '.escort-boarding .tr-direction').getByText('返乡', { exact: true }).waitFor();
  });
});
