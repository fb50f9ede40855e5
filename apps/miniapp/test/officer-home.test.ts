import { awaitingTag, showsSubAreas, withKeptCopy } from '../src/pages/officer/home-state';

/** The officer's home (issue 10 items 9 and 13): which cards it shows, what the 待联系 card says, what it shows offline. */
describe("the officer's home", () => {
  it('shows 下级区域 to an officer of a township (and says so to one with no area), never to a village officer', () => {
    expect(showsSubAreas('451425100')).toBe(true);
    expect(showsSubAreas(null)).toBe(true);
    expect(showsSubAreas('451425100201')).toBe(false);
  });

  it('counts who waits for a call; offline it says the count needs the network', () => {
    expect(awaitingTag({ data: { total: 3 }, isOffline: false, error: null })).toEqual({ text: '3 人', tone: 'tag--danger' });
    expect(awaitingTag({ data: { total: 0 }, isOffline: false, error: null })).toEqual({ text: '0 人', tone: 'tag--muted' });
    expect(awaitingTag({ data: null, isOffline: true, error: '网络连接失败' }).text).toBe('需联网');
    expect(awaitingTag({ data: null, isOffline: false, error: '服务器错误' }).text).toBe('未加载');
    expect(awaitingTag({ data: null, isOffline: false, error: null }).text).toBe('…');
  });

  describe('with no network', () => {
    const offline = { data: null as string | null, error: '网络连接失败', isOffline: true };
    it('shows the copy kept on the device, marked stale and without the error', () => {
      expect(withKeptCopy(offline, () => '百灵村委会')).toEqual({ data: '百灵村委会', error: null, isOffline: true, isStale: true });
    });
    it('keeps what the page already had over the kept copy', () => {
      expect(withKeptCopy({ ...offline, data: '新' }, () => '旧')).toMatchObject({ data: '新', error: null, isStale: true });
    });
    it('with nothing kept, stays offline (the page shows its quiet note)', () => {
      expect(withKeptCopy(offline, (): string | null => null)).toEqual({ ...offline, isStale: false });
    });
    it('never hides an error that is not about the network', () => {
      const failed = { data: null as string | null, error: '没有权限', isOffline: false };
      expect(withKeptCopy(failed, () => '百灵村委会')).toEqual({ ...failed, isStale: false });
    });
  });
});
