// Workers and village officers are most of the users, so their pages stay in the
// main package; the staff and grid-leader homes are subpackages, fetched on first use.
export default defineAppConfig({
  pages: ['pages/login/index', 'pages/worker/index', 'pages/officer/index'],
  subPackages: [
    { root: 'pages/staff', pages: ['index'] },
    { root: 'pages/grid', pages: ['index'] },
    // The household survey: officers only, fetched the first time an officer opens it.
    { root: 'pages/survey', pages: ['area/index', 'household/index', 'household-edit/index', 'laborer/index', 'sync/index', 'attention/index', 'services/index'] },
    // The worker's pages beyond the home: job detail, my record, correction, binding.
    { root: 'pages/jobs', pages: ['detail/index', 'record/index', 'correction/index', 'bind/index'] },
    // 消息: every role's inbox (recommendations, group chat notices and @-mentions, proposal outcomes), linked from each home.
    { root: 'pages/inbox', pages: ['index'] },
    // Group chats (grid leaders, workers): the room, creating a group, its members, the job broadcast, joining by invite code; the chat client is in it too.
    { root: 'pages/chat', pages: ['room/index', 'create/index', 'members/index', 'broadcast/index', 'join/index'] },
    // Employer contacts (企业联系人): their home, the posting proposal, and redeeming the invite code that makes a WeChat user one.
    { root: 'pages/employer', pages: ['index', 'propose/index', 'bind/index'] },
    // Point-to-point transport (点对点输送): the escort's manifest and offline boarding, the worker's seat and boarding code, the employer contact's handover.
    { root: 'pages/transport', pages: ['escort/index', 'mine/index', 'handover/index'] },
    // Training (职业技能培训): the officer's courses, roster and offline attendance, enrolling at the door; the worker's courses, offers and certificates.
    { root: 'pages/training', pages: ['officer/index', 'enroll/index', 'mine/index'] },
    // Subsidies (补贴): the worker's own with status and why; the officer's village 公示 list and its objections.
    { root: 'pages/subsidies', pages: ['mine/index', 'notice/index'] },
    // Labor-rights help (维权): the worker's 我要求助 and own cases; the officer's area cases, opening one for a surveyed person, offline edits.
    { root: 'pages/rights', pages: ['help/index', 'officer/index', 'open/index', 'case/index'] },
  ],
  // 走访记录可选记录位置: getLocation must be declared, and WeChat shows this purpose when asking.
  requiredPrivateInfos: ['getLocation'],
  permission: {
    'scope.userLocation': { desc: '仅在您打开“记录位置”时，用于记录入户走访的地点' },
  },
  window: {
    backgroundTextStyle: 'light',
    backgroundColor: '#f4f6f9',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '就业桥',
    navigationBarTextStyle: 'black',
    // The native bar in weapp; in H5 Taro draws the same bar (title, back) only when this says 'default'.
    navigationStyle: 'default',
  },
});
