import Taro from '@tarojs/taro';
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
  return '定位失败';
}

/**
 * One reading of the phone's position (GCJ-02, the coordinates WeChat maps use).
 * Called only when the officer asked for it; never throws.
 */
export async function currentLocation(timeoutMs = LOCATION_TIMEOUT_MS): Promise<{ location: VisitLocation | null; error: string | null }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const res = await Promise.race([
      Taro.getLocation({ type: 'gcj02' }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    const location = toVisitLocation(res as { latitude?: unknown; longitude?: unknown; accuracy?: unknown });
    return location ? { location, error: null } : { location: null, error: '定位结果无效' };
  } catch (err) {
    return { location: null, error: locationFailure(err) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
