import { validateVisit } from '@jobbridge/shared';
import { currentLocation, locationFailure, toVisitLocation } from '../src/services/location';
import { platform } from './stubs/taro';

const NOW = new Date('2025-06-01T04:00:00Z');
const VISIT = { householdId: '00000000-0000-4000-8000-000000000001', visitedAt: '2025-06-01T03:00:00Z' };

describe('the optional location of a visit', () => {
  beforeEach(() => platform.reset());

  it('asks for GCJ-02 once and gives a location the shared visit validator accepts', async () => {
    platform.location = () => ({ latitude: 23.0812, longitude: 107.1403, accuracy: 35, errMsg: 'getLocation:ok' });
    const got = await currentLocation();
    expect(platform.locationCalls).toEqual([{ type: 'gcj02' }]);
    expect(got).toEqual({ location: { lat: 23.0812, lng: 107.1403, accuracy: 35 }, error: null });
    expect(validateVisit({ ...VISIT, location: got.location }, NOW)).toEqual({});
  });

  it('leaves out an accuracy the platform does not give usably', () => {
    expect(toVisitLocation({ latitude: 23, longitude: 107, accuracy: -1 })).toEqual({ lat: 23, lng: 107 });
    expect(toVisitLocation({ latitude: 23, longitude: 107 })).toEqual({ lat: 23, lng: 107 });
    expect(toVisitLocation({ latitude: '23', longitude: 107 })).toBeNull();
  });

  it('a refusal, an unsupported platform or a timeout never throws: no location, and the reason in Chinese', async () => {
    await expect(currentLocation()).resolves.toEqual({ location: null, error: '未获得定位授权' });
    platform.location = () => {
      throw { errMsg: 'This coordinate system type is not temporarily supported' };
    };
    await expect(currentLocation()).resolves.toEqual({ location: null, error: '当前环境不支持定位' });
    platform.location = () => new Promise(() => undefined);
    await expect(currentLocation(20)).resolves.toEqual({ location: null, error: '定位超时' });
    expect(locationFailure({ errMsg: 'getLocation:fail system permission denied' })).toBe('未获得定位授权');
  });

  describe('in H5 (the browser\'s geolocation)', () => {
    const env = process.env.TARO_ENV;
    beforeEach(() => {
      process.env.TARO_ENV = 'h5';
    });
    afterEach(() => {
      process.env.TARO_ENV = env;
    });

    // Taro's H5 getLocation refuses gcj02 ("not temporarily supported"): asking for it meant no location, ever.
    it('asks for WGS-84, the only system a browser knows, and keeps the visit in GCJ-02 like WeChat\'s', async () => {
      platform.location = (opts) => {
        if (opts.type !== 'wgs84') throw { errMsg: 'This coordinate system type is not temporarily supported' };
        return { latitude: 23.0812, longitude: 107.1403, accuracy: 20, errMsg: 'getLocation:ok' };
      };
      const got = await currentLocation();
      expect(platform.locationCalls).toEqual([{ type: 'wgs84' }]);
      expect(got.error).toBeNull();
      // GCJ-02 is shifted from WGS-84 by a few hundred metres in Guangxi (east and a little south here): kept, converted.
      const { lat, lng, accuracy } = got.location!;
      expect(accuracy).toBe(20);
      expect(lat - 23.0812).toBeGreaterThan(-0.01);
      expect(lng - 107.1403).toBeGreaterThan(0.002);
      expect(Math.abs(lat - 23.0812) + Math.abs(lng - 107.1403)).toBeLessThan(0.02);
      expect(validateVisit({ ...VISIT, location: got.location }, NOW)).toEqual({});
    });

    it('says in Chinese that a page over plain http gets no position', async () => {
      platform.location = () => {
        throw { errMsg: 'Only secure origins are allowed (see: https://goo.gl/Y0ZkNV).' };
      };
      await expect(currentLocation()).resolves.toEqual({ location: null, error: '浏览器只在 https 连接下提供定位' });
    });
  });
});
