/** Regions every API test can rely on (imported once by global-setup). */
export const TEST_REGION_PREFIXES = ['451425', '440703'];

/** Tiandeng county and two of its towns, each with two villages; Pengjiang district is "another area". */
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
