import { useEffect, useRef, useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { REGION_LEVEL_LABELS, type DashboardView, type RegionView } from '@jobbridge/shared';
import { useLoad } from '../../hooks/use-load';
import { request } from '../../services/api';
import { formatDateTime } from '../../services/format';
import { childNeeds, childSummary, parentOf, tilesOf } from './dashboard-state';
import './dashboard.scss';

/** `GET /api/v1/dashboard`: in this subpackage, so the main package does not carry it. */
function getDashboard(region: string | null): Promise<DashboardView> {
  return request<DashboardView>({ path: '/dashboard', query: { region } });
}

/** The provinces, where a national account (admin) starts. */
function listProvinces(): Promise<RegionView[]> {
  return request<{ items: RegionView[] }>({ path: '/regions' }).then((r) => r.items);
}

/**
 * The compact dashboard of the staff home (the console has the full one): the main figures of the area,
 * its child regions with their key figures (tap one to go down), the path back up to the account's area.
 * Asked again whenever the page is shown and on 刷新; no charts on the phone.
 */
export default function StaffDashboard({ national }: { national: boolean }) {
  const [region, setRegion] = useState<string | null>(null);
  // A national account has no area to start from: it picks a province (the only one is opened at once).
  const choosing = national && region === null;
  const provinces = useLoad(listProvinces, choosing);
  useEffect(() => {
    if (choosing && provinces.data?.length === 1) setRegion(provinces.data[0].code);
  }, [choosing, provinces.data]);
  const dashboard = useLoad(() => getDashboard(region), !choosing, region ?? '');
  // Back on the page (from another app or page): the figures again. The first show is the first load.
  const shownBefore = useRef(false);
  useDidShow(() => {
    if (shownBefore.current && !choosing) dashboard.reload();
    shownBefore.current = true;
  });
  const view = dashboard.data;
  const shownRegion = view && (region === null || view.region.code === region) ? view : null;

  return (
    <View className='section dashboard'>
      <View className='section__head'>
        <Text className='section__title'>数据看板</Text>
        {view ? <Text className='section__meta dashboard-as-of'>数据截至 {formatDateTime(view.asOf)}</Text> : null}
      </View>

      {choosing && provinces.data && provinces.data.length !== 1 ? (
        <View className='dashboard-provinces'>
          {provinces.data.map((p) => (
            <View key={p.code} className='list-row dashboard-province' onClick={() => setRegion(p.code)}>
              <Text className='list-row__title'>{p.name}</Text>
              <Text className='tag tag--muted'>›</Text>
            </View>
          ))}
          {provinces.data.length === 0 ? <Text className='section__empty'>还没有导入区域</Text> : null}
        </View>
      ) : null}
      {choosing && provinces.error ? (
        <View className='section__error dashboard-error'>
          <Text>{provinces.error}</Text>
          <Text className='section__retry' onClick={provinces.reload}>
            重试
          </Text>
        </View>
      ) : null}

      {view ? (
        <View className='dashboard-nav'>
          <View className='dashboard-path'>
            {view.path.map((r, i) =>
              i === view.path.length - 1 ? (
                <Text key={r.code} className='dashboard-path__here'>
                  {r.name}
                </Text>
              ) : (
                <View key={r.code} className='dashboard-path__step'>
                  <Text className='dashboard-path__up' onClick={() => setRegion(r.code)}>
                    {r.name}
                  </Text>
                  <Text className='dashboard-path__sep'>›</Text>
                </View>
              ),
            )}
          </View>
          {parentOf(view) ? (
            <Text className='dashboard-up' onClick={() => setRegion(parentOf(view))}>
              ‹ 返回上一级
            </Text>
          ) : null}
        </View>
      ) : null}

      {shownRegion ? (
        <View className='dashboard-tiles'>
          {tilesOf(shownRegion.figures).map((t) => (
            <View key={t.key} className={`dashboard-tile dashboard-tile--${t.key}`}>
              <Text className={`dashboard-tile__value${t.isAlert ? ' dashboard-tile__value--alert' : ''}`}>{t.value}</Text>
              <Text className='dashboard-tile__label'>{t.label}</Text>
            </View>
          ))}
        </View>
      ) : null}

      {shownRegion && shownRegion.children.length ? (
        <View className='dashboard-children'>
          <Text className='dashboard-children__title'>
            下级{REGION_LEVEL_LABELS[shownRegion.children[0].region.level]}（{shownRegion.children.length}）· 点击查看
          </Text>
          {shownRegion.children.map((c) => (
            <View key={c.region.code} className='list-row dashboard-child' onClick={() => setRegion(c.region.code)}>
              <View className='list-row__main'>
                <Text className='list-row__title dashboard-child__name'>{c.region.name}</Text>
                <Text className='list-row__sub'>{childSummary(c.figures)}</Text>
                <Text className='list-row__sub'>{childNeeds(c.figures)}</Text>
              </View>
              <Text className='tag tag--muted'>›</Text>
            </View>
          ))}
        </View>
      ) : null}
      {shownRegion && !shownRegion.children.length ? <Text className='section__empty'>村是最小的统计单位</Text> : null}

      {dashboard.isLoading && !shownRegion ? <Text className='section__empty'>正在加载…</Text> : null}
      {dashboard.error ? (
        <View className='section__error dashboard-error'>
          <Text>{dashboard.error}</Text>
          <Text className='section__retry' onClick={dashboard.reload}>
            重试
          </Text>
        </View>
      ) : null}
      {view && !dashboard.error ? (
        <Text className='dashboard-refresh' onClick={dashboard.reload}>
          {dashboard.isLoading ? '正在刷新…' : '刷新'}
        </Text>
      ) : null}
    </View>
  );
}
