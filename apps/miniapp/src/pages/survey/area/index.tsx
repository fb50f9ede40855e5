import { useEffect, useMemo, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { POVERTY_STATUS_LABELS, REGION_LEVEL_LABELS, regionLevel, type RegionView } from '@jobbridge/shared';
import { useHomeSession } from '../../../hooks/use-home-session';
import { useOutbox } from '../../../hooks/use-outbox';
import { getMe, listRegionChildren } from '../../../services/api';
import { errorMessage } from '../../../services/errors';
import { searchHouseholds } from '../../../services/outbox';
import { cacheRegion, cachedRegion } from '../../../services/region-names';
import { HOME_ROUTES, SURVEY_ROUTES } from '../../../services/routes';
import { formatTime } from '../components/fields';
import LimitedInput from '../../../components/limited-input';
import '../survey.scss';

/** 我的片区: the regions below the officer's area down to villages, and a village's households from the local copy. */
export default function SurveyArea() {
  const session = useHomeSession(HOME_ROUTES.officer);
  const outbox = useOutbox(session !== null);
  const router = useRouter();
  const code = (router.params.region as string | undefined) ?? session?.user.regionCode ?? '';
  const isVillage = regionLevel(code) === 'village';
  const [name, setName] = useState<string>(() => cachedRegion(code).name ?? '');
  const [children, setChildren] = useState<RegionView[] | null>(() => cachedRegion(code).children ?? null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');

  useEffect(() => {
    if (!session || !code) return;
    let isCurrent = true;
    if (!name && code === session.user.regionCode) {
      getMe()
        .then((me) => {
          if (!isCurrent || !me.region) return;
          cacheRegion(code, { name: me.region.name });
          setName(me.region.name);
        })
        .catch(() => undefined);
    }
    if (!isVillage) {
      listRegionChildren(code)
        .then((res) => {
          cacheRegion(code, { children: res.items });
          for (const c of res.items) cacheRegion(c.code, { name: c.name });
          if (isCurrent) setChildren(res.items);
        })
        .catch((err: unknown) => isCurrent && setError(errorMessage(err)));
    }
    if (outbox) void outbox.sync();
    return () => {
      isCurrent = false;
    };
  }, [session, code]);

  const households = useMemo(() => {
    if (!outbox || !isVillage) return [];
    return searchHouseholds(outbox.households(code), outbox.laborersByHousehold(), query);
  }, [outbox, outbox?.pendingCount, outbox?.lastPullAt, isVillage, code, query]);

  if (!session || !outbox) return <View />;
  const members = outbox.laborersByHousehold();

  return (
    <View className='survey area'>
      <View className={`sync-bar${outbox.pendingCount ? ' sync-bar--warn' : ''}`} onClick={() => void Taro.navigateTo({ url: SURVEY_ROUTES.sync })}>
        <Text className='sync-bar-pending'>{outbox.pendingCount ? `${outbox.pendingCount} 条未上传` : '全部已上传'}</Text>
        <Text>上次同步 {formatTime(outbox.lastSyncAt ?? outbox.lastPullAt)} ›</Text>
      </View>

      <View className='section'>
        <View className='section__head'>
          <Text className='section__title area-name'>{name || code}</Text>
          <Text className='section__meta'>{REGION_LEVEL_LABELS[regionLevel(code) ?? 'village'] ?? ''}</Text>
        </View>

        {!isVillage ? (
          <View>
            {children?.map((c) => (
              <View
                className='list-row region-item'
                key={c.code}
                onClick={() => void Taro.navigateTo({ url: `${SURVEY_ROUTES.area}?region=${c.code}` })}
              >
                <View className='list-row__main'>
                  <Text className='list-row__title'>{c.name}</Text>
                  <Text className='list-row__sub'>{c.code}</Text>
                </View>
                <Text className='tag tag--muted'>{REGION_LEVEL_LABELS[c.level] ?? c.level} ›</Text>
              </View>
            ))}
            {children && children.length === 0 ? <Text className='section__empty'>没有下级区域</Text> : null}
            {!children && !error ? <Text className='section__empty'>正在加载…</Text> : null}
            {error && !children ? <View className='section__error'>{error}</View> : null}
          </View>
        ) : (
          <View>
            <View className='search'>
              <LimitedInput className='field__input survey-search' value={query} maxlength={50} placeholder='搜索户主/成员姓名或住址' onChange={setQuery} />
            </View>
            {households.map((h) => {
              const list = members.get(h.id) ?? [];
              const flagged = outbox.attentionFor(h.id) || list.some((l) => outbox.attentionFor(l.id));
              return (
                <View className='list-row household-item' key={h.id} onClick={() => void Taro.navigateTo({ url: `${SURVEY_ROUTES.household}?id=${h.id}` })}>
                  <View className='list-row__main'>
                    <Text className='list-row__title household-head'>{h.headName} 户</Text>
                    <Text className='list-row__sub'>
                      {POVERTY_STATUS_LABELS[h.povertyStatus] ?? h.povertyStatus} · 劳动力 {list.length} 人 · {h.address}
                    </Text>
                  </View>
                  {flagged ? <Text className='tag tag--danger'>待处理</Text> : h.isPending || list.some((l) => l.isPending) ? <Text className='tag tag--pending'>未上传</Text> : null}
                </View>
              );
            })}
            {households.length === 0 ? <Text className='section__empty'>{query ? '没有找到匹配的户' : '本村还没有登记的户'}</Text> : null}
          </View>
        )}
      </View>

      {isVillage ? (
        <View className='btn household-add' onClick={() => void Taro.navigateTo({ url: `${SURVEY_ROUTES.householdEdit}?region=${code}` })}>
          新增户
        </View>
      ) : null}
    </View>
  );
}
