/** Regions every API test can rely on (imported once by global-setup). */
export const TEST_REGION_PREFIXES = ['451425', '440703', '430681', '451481', '451424'];

/**
 * Tiandeng county and two of its towns, each with two villages; Pengjiang district is "another area".
 * Many test files write into these at the same time (jest runs several files at once), so a test
 * that counts or pages through everything of an area must use an area of its own (AREAS below).
 */
export const R = {
  guangxi: '45',
  tiandeng: '451425',
  townA: '451425100',
  villageA1: '451425100001',
  villageA2: '451425100002',
  townB: '451425101',
  villageB1: '451425101201',
  pengjiang: '440703',
  pengjiangTown: '440703002',
} as const;

/**
 * Areas that only one test file writes to, so totals, counts and pages over them are that file's own.
 * Townships of Tiandeng already taken by one file: 102 and 103 (lists), 104, 201, 202 (jobs), 205
 * (posting-import), 206 (awaiting-contact), 208 (crossing), 200 (chat). A file that needs a whole county of its own gets one here.
 */
export const AREAS = {
  /** scope.test.ts: Miluo (Hunan), with two towns and three villages; only its two towns are its own (rights and subsidies use other towns of Miluo). */
  scope: {
    county: '430681', // 汨罗市
    townA: '430681101', // 汨罗镇
    villageA1: '430681101202', // 汴塘村
    villageA2: '430681101213', // 蟠龙桥村
    townB: '430681102', // 新市镇
    villageB1: '430681102002', // 新市街社区
  },
  /**
   * recommendations.test.ts: Pingxiang (Guangxi), so the postings local to its seekers are its own
   * (what other files publish in Tiandeng would compete for their top five).
   */
  recommendations: {
    county: '451481', // 凭祥市
    town: '451481100', // 凭祥镇
    village: '451481100001', // 北大路居委会
    otherVillage: '451481101001', // 友谊镇浦寨社区居委会
  },
  /** awaiting-contact.test.ts (待联系): a township of Tiandeng with two villages, its totals its own. */
  awaitingContact: {
    town: '451425206', // 上映乡
    village: '451425206201', // 上美村委会
    otherVillage: '451425206202', // 桃永村委会
    quietVillage: '451425206203', // 平典村委会: nobody ever waits there
  },
  /** crossing.test.ts: 小山乡 of Tiandeng, two of its villages, and 把荷乡 as a sibling township. */
  crossing: {
    town: '451425208', // 小山乡
    village: '451425208201', // 小山村委会
    siblingVillage: '451425208202', // 龙桥村委会
    siblingTown: '451425207', // 把荷乡
  },
  /** chat*.test.ts (group chats): 都康乡 of Tiandeng and two of its villages. */
  chat: {
    town: '451425200', // 都康乡
    village: '451425200201', // 安康村委会
    otherVillage: '451425200202', // 逐龙村委会
  },
  /** followups-area.test.ts (the console's 回访 page): 潮连街道 of Pengjiang, its follow-ups its own. */
  consoleOps: {
    town: '440703005', // 潮连街道
    village: '440703005101', // 塘边社区居委会
    otherVillage: '440703005102', // 芝山社区居委会
  },
  /** villages-without-officer.test.ts (the console's 账号 page): 环市街道 of Pengjiang, its officer accounts its own. */
  villagesWithoutOfficer: {
    town: '440703006', // 环市街道 (26 villages)
    village: '440703006101', // 五福社区居委会
    otherVillage: '440703006102', // 天龙社区居委会
    thirdVillage: '440703006103', // 东风社区居委会
  },
  /** dashboard.test.ts: Daxin county (Guangxi) with its 15 townships (a state farm among them) and 158 villages, whose every count is those files' own. */
  dashboard: {
    county: '451424', // 大新县
    townA: '451424100', // 桃城镇
    villageA1: '451424100001', // 新城社区居委会
    villageA2: '451424100002', // 新振社区居委会
    townB: '451424101', // 全茗镇
    villageB1: '451424101001', // 全茗社区居委会
  },
  /** employer-contacts.test.ts (企业联系人): 棠下镇 of Pengjiang and one of its villages, 荷塘镇 as the sibling township. */
  employerContacts: {
    county: '440703', // 蓬江区
    town: '440703101', // 棠下镇
    village: '440703101201', // 桐井村委会
    siblingTown: '440703102', // 荷塘镇
    otherCounty: '451481', // 凭祥市
  },
  /** transport.test.ts (点对点输送): two villages of 福新镇 whose people ride that file's trips. */
  transport: {
    villageA: '451425105210', // 黎亮村委会
    villageB: '451425105211', // 选解村委会
  },
  /** subsidies.test.ts (补贴): 长乐镇 of Miluo (Yueyang city) and two of its villages, 大荆镇 as the sibling township. */
  subsidies: {
    county: '430681', // 汨罗市
    town: '430681110', // 长乐镇
    village: '430681110202', // 马桥村
    otherVillage: '430681110204', // 青狮村
    siblingTown: '430681111', // 大荆镇
  },
  /**
   * rights.test.ts (维权): 屈子祠镇 of Miluo with two villages, 神鼎山镇 as the sibling township; the employer's
   * east-west partner area is 杜阮镇 of Pengjiang (a pair of Miluo with that township only, where no test has postings).
   */
  rights: {
    county: '430681', // 汨罗市
    town: '430681118', // 屈子祠镇
    village: '430681118207', // 屈子祠村
    otherVillage: '430681118212', // 屈原村
    siblingTown: '430681120', // 神鼎山镇
    partner: '440703103', // 杜阮镇
    partnerVillage: '440703103001', // 中心社区居委会
  },
  /** training.test.ts (courses, needs list, enrollments): 杜阮镇 of Pengjiang, its training wishes that file's own. */
  training: {
    county: '440703', // 蓬江区
    town: '440703103', // 杜阮镇
    village: '440703103001', // 中心社区居委会
    otherVillage: '440703103002', // 新河社区居委会
    otherCounty: '451481', // 凭祥市
  },
  /** sync.test.ts, the changes feed: a village whose every change is that test's own. */
  syncFeed: {
    village: '451425105202', // 福新镇种典村委会
    otherVillage: '451425105203', // 福新镇苗村村委会
  },
} as const;
