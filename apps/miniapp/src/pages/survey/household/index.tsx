import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Switch, Text, View } from '@tarojs/components';
import { EMPLOYMENT_STATUS_LABELS, POVERTY_STATUS_LABELS, RELATION_TO_HEAD_LABELS, maskPhone, validateVisit, type VisitData } from '@jobbridge/shared';
import { useHomeSession } from '../../../hooks/use-home-session';
import { useOutbox } from '../../../hooks/use-outbox';
import { errorMessage } from '../../../services/errors';
import { HOME_ROUTES, openCaseRoute, servicesRoute, SURVEY_ROUTES } from '../../../services/routes';
import { formatTime } from '../components/fields';
import { currentLocation } from '../../../services/location';
import LimitedInput from '../../../components/limited-input';
import '../survey.scss';
import '../attention/services-link.scss';

/** One household: its members (劳动力) and every visit, from the local copy with unsent edits. */
export default function HouseholdDetail() {
  const session = useHomeSession(HOME_ROUTES.officer);
  const outbox = useOutbox(session !== null);
  const { params } = useRouter();
  const id = (params.id as string) ?? '';
  const [note, setNote] = useState('');
  const [visitError, setVisitError] = useState<string | null>(null);
  const [withLocation, setWithLocation] = useState(false);
  const [isLocating, setIsLocating] = useState(false);
  const [visitNotice, setVisitNotice] = useState<string | null>(null);

  if (!session || !outbox) return <View />;
  const { household, members, visits } = outbox.household(id);
  if (!household) {
    return (
      <View className='survey'>
        <View className='section'>
          <Text className='section__empty'>本机没有这一户的记录，请先同步</Text>
        </View>
      </View>
    );
  }

  // A registration the server refused is no longer in the local copy; show it here until the officer deals with it.
  const refused = outbox.attention.filter((a) => a.op.type === 'laborer.create' && a.op.data.householdId === id);

  const addVisit = async () => {
    if (isLocating) return;
    const data: VisitData = { householdId: id, visitedAt: new Date().toISOString(), note: note.trim() || null };
    const errors = validateVisit(data, new Date());
    if (Object.keys(errors).length) {
      setVisitError(Object.values(errors)[0]);
      return;
    }
    let notice: string | null = null;
    // The position is asked for only when the officer turned the switch on; a refusal never blocks the visit.
    if (withLocation) {
      setIsLocating(true);
      const got = await currentLocation();
      setIsLocating(false);
      if (got.location && Object.keys(validateVisit({ ...data, location: got.location }, new Date())).length === 0) {
        data.location = got.location;
        notice = '走访已保存，并记录了位置';
      } else {
        notice = `未能获取位置（${got.error ?? '位置数据无效'}），走访已保存，但没有记录位置`;
      }
    }
    try {
      outbox.addVisit(data);
      setNote('');
      setVisitError(null);
      setVisitNotice(notice);
      void outbox.sync();
    } catch (err) {
      setVisitError(errorMessage(err));
    }
  };

  return (
    <View className='survey household'>
      <View className='section'>
        <View className='section__head'>
          <Text className='section__title hh-title'>{household.headName} 户</Text>
          {household.isPending ? <Text className='tag tag--pending'>未上传</Text> : <Text className='section__meta'>第 {household.version} 版</Text>}
        </View>
        <View className='review-row'>
          <Text className='review-row__label'>户类别</Text>
          <Text className='review-row__value'>{POVERTY_STATUS_LABELS[household.povertyStatus] ?? household.povertyStatus}</Text>
        </View>
        <View className='review-row'>
          <Text className='review-row__label'>住址</Text>
          <Text className='review-row__value'>{household.address}</Text>
        </View>
        <View className='review-row'>
          <Text className='review-row__label'>联系电话</Text>
          <Text className='review-row__value'>{household.phone ? maskPhone(household.phone) : '—'}</Text>
        </View>
        <Text className='hh-edit' onClick={() => void Taro.navigateTo({ url: `${SURVEY_ROUTES.householdEdit}?id=${id}` })}>
          修改户信息
        </Text>
      </View>

      <View className='section'>
        <View className='section__head'>
          <Text className='section__title'>劳动力</Text>
          <Text className='section__meta'>共 {members.length} 人{refused.length ? `，${refused.length} 人未登记成功` : ''}</Text>
        </View>
        {members.map((m) => (
          <View className='list-row member-item' key={m.id} onClick={() => void Taro.navigateTo({ url: `${SURVEY_ROUTES.laborer}?id=${m.id}` })}>
            <View className='list-row__main'>
              <Text className='list-row__title member-name'>
                {m.name}
                {m.relationToHead ? `（${RELATION_TO_HEAD_LABELS[m.relationToHead]}）` : ''}
              </Text>
              <Text className='list-row__sub'>
                {m.idNumberMasked} · {m.employmentStatus ? EMPLOYMENT_STATUS_LABELS[m.employmentStatus] : '—'}
              </Text>
            </View>
            {m.version > 0 ? (
              // On the server already: the person's employment services (311, referrals, binding code) in one tap.
              <View
                className='btn btn--small btn--ghost member-services'
                onClick={(e) => {
                  e.stopPropagation();
                  void Taro.navigateTo({ url: servicesRoute(m.id, m.name) });
                }}
              >
                就业服务
              </View>
            ) : null}
            {outbox.attentionFor(m.id) ? <Text className='tag tag--danger'>待处理</Text> : m.isPending ? <Text className='tag tag--pending'>未上传</Text> : null}
          </View>
        ))}
        {refused.map((a) => (
          <View className='list-row member-item member-refused' key={a.op.opId} onClick={() => void Taro.navigateTo({ url: SURVEY_ROUTES.sync })}>
            <View className='list-row__main'>
              <Text className='list-row__title member-name'>{String(a.op.data.name ?? '')}</Text>
              <Text className='list-row__sub field__error'>未登记成功：{a.message}（到同步中心处理）</Text>
            </View>
            <Text className='tag tag--danger'>待处理</Text>
          </View>
        ))}
        {members.length === 0 && refused.length === 0 ? <Text className='section__empty'>还没有登记劳动力</Text> : null}
      </View>
      <View className='btn laborer-add' onClick={() => void Taro.navigateTo({ url: `${SURVEY_ROUTES.laborer}?householdId=${id}` })}>
        登记劳动力
      </View>

      <View className='section'>
        <View className='section__head'>
          <Text className='section__title'>走访记录</Text>
          <Text className='section__meta'>共 {visits.length} 次</Text>
        </View>
        <View className='search'>
          <LimitedInput className='field__input visit-note' value={note} placeholder='本次走访情况（选填）' maxlength={500} onChange={setNote} />
        </View>
        <View className='switch-row'>
          <View className='switch-row__main'>
            <Text className='switch-row__title'>记录位置</Text>
            <Text className='muted'>打开后保存时读取一次手机定位；不打开则不读取</Text>
          </View>
          <Switch className='visit-location' checked={withLocation} color='#1f6feb' onChange={(e) => setWithLocation(Boolean(e.detail.value))} />
        </View>
        {visitError ? <Text className='field__error'>{visitError}</Text> : null}
        {visitNotice ? <Text className={`visit-notice${visitNotice.startsWith('未能') ? ' field__error' : ' muted'}`}>{visitNotice}</Text> : null}
        <View className='btn btn--ghost visit-add' onClick={() => void addVisit()}>
          {isLocating ? '正在获取位置…' : '记录一次走访'}
        </View>
        {members.length ? (
          // A visit is where people tell the officer of wages owed or an injury: the case opens from here (source 走访).
          <View className='visit-rights'>
            <Text className='muted'>走访中有人求助欠薪、工伤、合同纠纷：</Text>
            {members.map((m) => (
              <View className='btn btn--small btn--ghost visit-rights-open' key={m.id} onClick={() => void Taro.navigateTo({ url: openCaseRoute(m.id, m.name, 'visit') })}>
                登记维权求助：{m.name}
              </View>
            ))}
          </View>
        ) : null}
        {visits.map((v) => (
          <View className='list-row visit-item' key={v.id}>
            <View className='list-row__main'>
              <Text className='list-row__title'>{formatTime(v.visitedAt)}</Text>
              <Text className='list-row__sub'>{v.note || '（无备注）'}</Text>
              {v.location ? (
                <Text className='list-row__sub visit-has-location'>
                  已记录位置（{v.location.lat.toFixed(5)}, {v.location.lng.toFixed(5)}
                  {typeof v.location.accuracy === 'number' ? ` ±${Math.round(v.location.accuracy)}米` : ''}）
                </Text>
              ) : null}
            </View>
            {v.isPending ? <Text className='tag tag--pending'>未上传</Text> : null}
          </View>
        ))}
      </View>
    </View>
  );
}
