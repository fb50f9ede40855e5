import Taro from '@tarojs/taro';
import gcoord from 'gcoord';
import type { VisitLocation } from '@jobbridge/shared';

/** How long to wait for a position before saving the visit without one. */
export const LOCATION_TIMEOUT_MS = 10_000;

/** The phone's answer as a visit location; `accuracy` only when the platform gives a usable one. */
export function toVisitLocation(res: { latitude?: unknown; longitude?: unknown; accuracy?: unknown }): VisitLocation | null {
  const { latitude: lat, longitude: lng } = res;
  if (typeof lat !== 'number' || typeof lng !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  const loc: VisitLocation = { lat, lng };
  if (typeof res.accuracy === 'number' && Number.isFinite(res.accuracy) && res.accuracy >= 0) loc.accuracy = res.accuracy;
  return loc;
}

/** Why getLocation failed, in Chinese (denied, switched off, unsupported, timed out). */
export function locationFailure(err: unknown): string {
  const msg = String((err as { errMsg?: string })?.errMsg ?? (err as Error)?.message ?? err ?? '');
  if (/auth deny|auth denied|permission|denied|拒绝/i.test(msg)) return '未获得定位授权';
  if (/timeout|超时/i.test(msg)) return '定位超时';
  if (/not temporarily supported|not support/i.test(msg)) return '当前环境不支持定位';
  if (/system permission|location service|定位服务/i.test(msg)) return '手机定位服务未打开';
  // A browser gives the position to https pages (and localhost) only.
  if (/secure origin|secure context/i.test(msg)) return '浏览器只在 https 连接下提供定位';
  return '定位失败';
}

/**
 * The coordinate system to ask the platform for. WeChat gives GCJ-02 (what maps in China use);
 * in H5 Taro's getLocation is the browser's geolocation, which knows WGS-84 only and refuses
 * gcj02 ("not temporarily supported"), so H5 asks for wgs84 and converts.
 */
export function platformCoordinates(): 'gcj02' | 'wgs84' {
  return process.env.TARO_ENV === 'h5' ? 'wgs84' : 'gcj02';
}

/** A WGS-84 position (GPS, a browser) in GCJ-02, the system every visit location is kept in. */
export function wgs84ToGcj02(loc: VisitLocation): VisitLocation {
  const [lng, lat] = gcoord.transform<[number, number]>([loc.lng, loc.lat], gcoord.WGS84, gcoord.GCJ02);
  return { ...loc, lat, lng };
}

/**
 * One reading of the phone's position (GCJ-02, the coordinates WeChat maps use).
 * Called only when the officer asked for it; never throws.
 */
export async function currentLocation(timeoutMs = LOCATION_TIMEOUT_MS): Promise<{ location: VisitLocation | null; error: string | null }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const type = platformCoordinates();
  try {
    const res = await Promise.race([
      Taro.getLocation({ type }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    const location = toVisitLocation(res as { latitude?: unknown; longitude?: unknown; accuracy?: unknown });
    if (!location) return { location: null, error: '定位结果无效' };
    return { location: type === 'wgs84' ? wgs84ToGcj02(location) : location, error: null };
  } catch (err) {
    return { location: null, error: locationFailure(err) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
