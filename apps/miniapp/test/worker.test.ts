import { HOME_ROUTES, INBOX_ROUTE, JOBS_ROUTES, RIGHTS_ROUTES, SERVICES_ROUTE, servicesRoute } from '../src/services/routes';
import { saveSession } from '../src/services/session';
import { acceptedTemplates, canRequestSubscribe, loadSubscribeTemplates, notificationTarget, subscribeToNotices, templateIdsOf, unreadBadge } from '../src/services/inbox';
import { CORRECTION_FIELD_CHOICES, bindingCodeError, groupBindingCode, idTailError, correctionErrors, correctionFieldsText, normalizeBindingCode, normalizeIdTail } from '../src/services/worker';
import { recordRows } from '../src/pages/jobs/record/rows';
import { platform } from './stubs/taro';

describe('binding code', () => {
  it('takes the code as read out: spaces and dashes dropped', () => {
    expect(normalizeBindingCode(' 4821-0937-5566 ')).toBe('482109375566');
    expect(normalizeBindingCode('1234 5678 9012')).toBe('123456789012');
    expect(groupBindingCode('123456789012')).toBe('1234 5678 9012');
  });

  it('says what is wrong before sending', () => {
    expect(bindingCodeError('')).toBe('请输入绑定码');
    expect(bindingCodeError('12345678')).toBe('绑定码是 12 位，您输入了 8 位');
    expect(bindingCodeError('12345678901a')).toBe('绑定码是 12 位数字');
    expect(bindingCodeError('1234567890123')).toBe('绑定码是 12 位，您输入了 13 位');
    expect(bindingCodeError('482109375566')).toBeNull();
  });

  it('takes the ID ending with a lower-case x and says what is wrong with it', () => {
    expect(normalizeIdTail(' 123x ')).toBe('123X');
    expect(idTailError('')).toBe('请输入身份证号后四位');
    expect(idTailError('12X4')).toMatch(/末位为数字或 X/);
    expect(idTailError('123')).toMatch(/4 位/);
    expect(idTailError('123X')).toBeNull();
    expect(idTailError('0456')).toBeNull();
  });
});

describe('my record', () => {
  // The shape of GET /me/record: codes, their Chinese names in `labels`, the household.
  const RECORD = {
    laborerId: 'l1',
    name: '马文杰',
    idNumberMasked: '451425************',
    sex: 'male',
    age: 35,
    phone: null,
    education: 'junior',
    employmentStatus: 'unemployed',
    wantedJobCategories: ['manufacturing.electronics_assembly'],
    workScopes: [],
    needsBoardLodging: true,
    household: { address: '那料屯7号', regionCode: '451425100201', villageName: '那料村委会', villagePathName: '广西壮族自治区崇左市天等县天等镇那料村委会' },
    updatedAt: '2025-06-01T04:00:00.000Z',
    labels: { sex: '男', education: '初中', employmentStatus: '未就业(有劳动能力)', wantedJobCategories: ['电子装配'], workScopes: [] },
  };

  it('shows Chinese labels and values, identity first, the household after, bookkeeping hidden', () => {
    expect(recordRows(RECORD).map((r) => [r.label, r.value])).toEqual([
      ['姓名', '马文杰'],
      ['身份证号', '451425************'],
      ['性别', '男'],
      ['年龄', '35岁'],
      ['手机号', '未填写'],
      ['文化程度', '初中'],
      ['就业状态', '未就业(有劳动能力)'],
      ['意向工种', '电子装配'],
      ['意向就业地域', '未填写'],
      ['是否需要包吃住', '是'],
      ['住址', '那料屯7号'],
      ['所在村', '广西壮族自治区崇左市天等县天等镇那料村委会'],
      ['最后更新', '2025-06-01 12:00'],
    ]);
  });

  it('names codes from the shared lists when the server gives no label', () => {
    const rows = recordRows({ name: '马文杰', education: 'senior', serviceNeeds: ['job_referral'] });
    expect(rows.map((r) => r.value)).toEqual(['马文杰', '高中', '岗位推荐']);
    expect(recordRows(null)).toEqual([]);
  });
});

describe('correction requests', () => {
  it('offers every survey field but the household link', () => {
    const codes = CORRECTION_FIELD_CHOICES.map((c) => c.code);
    expect(codes).not.toContain('householdId');
    expect(codes.slice(0, 3)).toEqual(['name', 'idNumber', 'birthDate']);
    expect(CORRECTION_FIELD_CHOICES[0].label).toBe('姓名');
  });

  it('needs at least one field and what is right', () => {
    expect(correctionErrors({ fields: [], message: ' ' })).toEqual({ fields: '请选择哪一项有误', message: '请写一下正确的情况' });
    expect(correctionErrors({ fields: ['phone'], message: '新号码 13900000000' })).toEqual({});
    expect(correctionErrors({ fields: ['phone'], message: 'x'.repeat(501) })).toEqual({ message: '最多500字' });
    expect(correctionFieldsText(['phone', 'employer', 'unknown'])).toBe('手机号、就业单位、unknown');
  });
});

describe('inbox', () => {
  it.each([
    [0, ''],
    [-1, ''],
    [null, ''],
    [undefined, ''],
    [1, '1'],
    [99, '99'],
    [100, '99+'],
  ])('unread %p shows the badge %p', (n, badge) => {
    expect(unreadBadge(n)).toBe(badge);
  });

  it('leads to the recommendation a notification is about, or the record for a correction', () => {
    expect(notificationTarget({ kind: 'recommendation', data: { recommendationId: 'r1' } }, 'worker')).toBe(`${JOBS_ROUTES.detail}?id=r1`);
    // What a matching run sends: one new job leads to it, several to the list on the home page.
    expect(notificationTarget({ kind: 'recommendation', data: { recommendationIds: ['r2'] } }, 'worker')).toBe(`${JOBS_ROUTES.detail}?id=r2`);
    expect(notificationTarget({ kind: 'recommendation', data: { recommendationIds: ['r2', 'r3'] } }, 'worker')).toBe(HOME_ROUTES.worker);
    expect(notificationTarget({ kind: 'correction', data: {} }, 'worker')).toBe(JOBS_ROUTES.record);
    expect(notificationTarget({ kind: 'followup', data: {} }, 'worker')).toBeNull();
    // A group chat's notice, @-mention or broadcast the worker missed: its room.
    expect(notificationTarget({ kind: 'chat', data: { groupId: 'g1', seq: 3, reason: 'notice' } }, 'worker')).toBe('/pages/chat/room/index?id=g1');
    expect(notificationTarget({ kind: 'chat', data: {} }, 'worker')).toBeNull();
    // Staff's decision on an employer contact's proposal: their home, with 我的提交.
    expect(notificationTarget({ kind: 'proposal', data: { proposalId: 'p1', status: 'rejected', postingId: null } }, 'employer_contact')).toBe(HOME_ROUTES.employer_contact);
    // A group chat's notice reaches every role in the room.
    expect(notificationTarget({ kind: 'chat', data: { groupId: 'g1', seq: 3, reason: 'mention' } }, 'officer')).toBe('/pages/chat/room/index?id=g1');
  });

  it('leads a labor-rights deadline notice to its case for the officer and staff, and a worker to their own requests', () => {
    const notice = { kind: 'rights', data: { caseId: 'c1', alert: 'due_soon', dueDate: '2026-12-04' } } as const;
    for (const role of ['officer', 'staff', 'admin'] as const) expect(notificationTarget(notice, role)).toBe(`${RIGHTS_ROUTES.case}?id=c1`);
    expect(notificationTarget(notice, 'worker')).toBe(RIGHTS_ROUTES.help);
    // A role that can't read cases, or a notice without its case: nowhere rather than a page that refuses.
    expect(notificationTarget(notice, 'grid_leader')).toBeNull();
    expect(notificationTarget({ kind: 'rights', data: {} }, 'staff')).toBeNull();
  });
});

describe('WeChat subscribe messages', () => {
  const ask = jest.fn();

  beforeEach(() => {
    platform.reset();
    ask.mockReset();
    process.env.TARO_ENV = 'weapp';
    process.env.TARO_APP_API_BASE = 'https://api.example.cn/api/v1';
    saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'u', role: 'worker', regionCode: null, name: '马文杰' } as never });
    platform.respond = () => ({ statusCode: 201, data: {} });
  });

  it('is offered only in the mini-program, where requestSubscribeMessage exists', () => {
    expect(canRequestSubscribe({ requestSubscribeMessage: ask }, 'weapp')).toBe(true);
    // H5: Taro's web build may define a stub that only fails; it is never called.
    expect(canRequestSubscribe({ requestSubscribeMessage: ask }, 'h5')).toBe(false);
    expect(canRequestSubscribe({}, 'weapp')).toBe(false);
    expect(canRequestSubscribe({ requestSubscribeMessage: 'no' }, 'weapp')).toBe(false);
    // The test platform (like H5) has no such API.
    expect(canRequestSubscribe()).toBe(false);
  });

  it('reads the configured template ids as a map or a list, only known keys', () => {
    expect(templateIdsOf({ templates: { job_recommendation: 'T1', followup: '', other: 'T9' } })).toEqual([{ key: 'job_recommendation', templateId: 'T1' }]);
    expect(templateIdsOf({ templates: { followup: 'T2', job_recommendation: 'T1' } })).toEqual([{ key: 'job_recommendation', templateId: 'T1' }, { key: 'followup', templateId: 'T2' }]);
    expect(templateIdsOf({ items: [] })).toEqual([]);
    expect(templateIdsOf(null)).toEqual([]);
  });

  it("asks only for the templates of the home's role (WeChat takes at most 3 in one request)", async () => {
    platform.respond = () => ({ statusCode: 200, data: { templates: { job_recommendation: 'T1', followup: 'T2', chat_message: 'T3', proposal_result: 'T4' } } });
    expect(await loadSubscribeTemplates(['proposal_result', 'chat_message'])).toEqual([
      { key: 'chat_message', templateId: 'T3' },
      { key: 'proposal_result', templateId: 'T4' },
    ]);
    expect((await loadSubscribeTemplates(['job_recommendation', 'followup', 'chat_message'])).map((t) => t.key)).toEqual(['job_recommendation', 'followup', 'chat_message']);
  });

  it('maps WeChat answers back to our keys', () => {
    const templates = [
      { key: 'job_recommendation' as const, templateId: 'T1' },
      { key: 'followup' as const, templateId: 'T2' },
    ];
    expect(acceptedTemplates(templates, { errMsg: 'requestSubscribeMessage:ok', T1: 'accept', T2: 'reject' })).toEqual(['job_recommendation']);
    expect(acceptedTemplates(templates, undefined)).toEqual([]);
  });

  it('asks WeChat for the templates and tells the server which were accepted', async () => {
    ask.mockResolvedValue({ T1: 'accept', T2: 'accept' });
    const accepted = await subscribeToNotices(
      [
        { key: 'job_recommendation', templateId: 'T1' },
        { key: 'followup', templateId: 'T2' },
      ],
      { requestSubscribeMessage: ask },
    );
    expect(ask).toHaveBeenCalledWith({ tmplIds: ['T1', 'T2'] });
    expect(accepted).toEqual(['job_recommendation', 'followup']);
    expect(platform.requests.map((r) => [r.method, r.url, r.data])).toEqual([['POST', 'https://api.example.cn/api/v1/me/wechat-subscriptions', { accepted: ['job_recommendation', 'followup'] }]]);
  });

  it('tells the server nothing when all were refused, and never asks without templates or the API', async () => {
    ask.mockResolvedValue({ T1: 'reject' });
    expect(await subscribeToNotices([{ key: 'job_recommendation', templateId: 'T1' }], { requestSubscribeMessage: ask })).toEqual([]);
    expect(await subscribeToNotices([], { requestSubscribeMessage: ask })).toEqual([]);
    expect(await subscribeToNotices([{ key: 'job_recommendation', templateId: 'T1' }], {})).toEqual([]);
    expect(ask).toHaveBeenCalledTimes(1);
    expect(platform.requests).toEqual([]);
  });
});

describe('routes of the new pages', () => {
  function config() {
    (globalThis as { defineAppConfig?: unknown }).defineAppConfig = (c: unknown) => c;
    return require('../src/app.config').default as { pages: string[]; subPackages: { root: string; pages: string[] }[] };
  }

  it('declares every worker page in the jobs subpackage, the worker home in the main package, the services page in the survey subpackage', () => {
    const c = config();
    expect(c.pages).toContain(HOME_ROUTES.worker.slice(1));
    const jobs = c.subPackages.find((s) => s.root === 'pages/jobs');
    for (const route of Object.values(JOBS_ROUTES)) expect(jobs?.pages.map((p) => `/pages/jobs/${p}`)).toContain(route);
    // The inbox serves every role: a subpackage of its own, not the worker's.
    expect(c.subPackages.find((s) => s.root === 'pages/inbox')?.pages.map((p) => `/pages/inbox/${p}`)).toEqual([INBOX_ROUTE]);
    expect(c.subPackages.find((s) => s.root === 'pages/survey')?.pages.map((p) => `/pages/survey/${p}`)).toContain(SERVICES_ROUTE);
  });

  it('links to one laborer\'s services page with the name to show while it loads', () => {
    expect(servicesRoute('l-1', '韦德明')).toBe(`${SERVICES_ROUTE}?id=l-1&name=%E9%9F%A6%E5%BE%B7%E6%98%8E`);
  });
});
