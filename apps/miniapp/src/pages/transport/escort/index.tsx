import { useMemo, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import LimitedInput from '../../../components/limited-input';
import { useLoad } from '../../../hooks/use-load';
import { useOutbox } from '../../../hooks/use-outbox';
import { errorMessage } from '../../../services/errors';
import { formatDateTime } from '../../../services/format';
import { TRANSPORT_ROUTES } from '../../../services/routes';
import { loadSession } from '../../../services/session';
import { LoadState } from '../../worker/parts';
import { BoardingBook, type CheckInResult, fetchManifest, listTrips, scanBoardingCode, setTripStatus, STATUS_LABELS } from '../services/transport';
import '../../worker/parts.scss';
import TripTitle from '../components/trip-title';
import '../transport.scss';

/**
 * The escort's boarding (护送员登车核验): the trips they escort; for one, the manifest downloaded once
 * online and kept on the phone, then the whole coach checked in with no network, by the passenger's boarding
 * code (scanned, or typed) or by name. Each check is a lookup on the phone; the check-ins go to the server
 * through the outbox when the phone is online (同步).
 */
export default function EscortPage() {
  const tripId = useRouter().params.trip ?? '';
  return tripId ? <Boarding tripId={tripId} /> : <MyTrips />;
}

function MyTrips() {
  const trips = useLoad(listTrips, true);
  const mine = trips.data?.items.filter((t) => t.mine.escorts || t.mine.manages) ?? [];
  return (
    <View className='wk tr-page escort-trips'>
      <View className='wk-card'>
        <Text className='wk-title'>我护送的车次</Text>
        <Text className='wk-note'>发车前联网打开车次，下载登车名单；之后没有网络也能逐个核验登车。</Text>
      </View>
      {trips.data && !mine.length ? <Text className='wk-note trips-empty'>暂时没有您护送的车次。</Text> : null}
      {mine.map((t) => (
        <View key={t.id} className='wk-card tr-trip escort-trip' onClick={() => void Taro.navigateTo({ url: `${TRANSPORT_ROUTES.escort}?trip=${t.id}` })}>
          <TripTitle title={t.title} direction={t.direction} />
          <Text className='wk-note'>
            {formatDateTime(t.departureAt)} 发车 · {t.vehicle} · {STATUS_LABELS[t.status]} · 名单 {t.counts.booked} 人
          </Text>
        </View>
      ))}
      <LoadState state={trips} name='trips' />
    </View>
  );
}

function Boarding(props: { tripId: string }) {
  const session = loadSession();
  const outbox = useOutbox();
  const book = useMemo(() => (session ? new BoardingBook(session.user.id, session.user.name, props.tripId) : null), [session?.user.id, props.tripId]);
  const [, setTick] = useState(0);
  const [code, setCode] = useState('');
  const [q, setQ] = useState('');
  const [result, setResult] = useState<CheckInResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  if (!book || !outbox || !session) return <View />;
  const manifest = book.manifest;
  const refresh = () => setTick((n) => n + 1);

  const download = async () => {
    setBusy(true);
    setMessage(null);
    try {
      book.keep(await fetchManifest(props.tripId));
      setMessage('登车名单已下载到本机，没有网络也能核验');
    } catch (err) {
      setMessage(errorMessage(err));
    } finally {
      setBusy(false);
      refresh();
    }
  };
  const byCode = (text: string) => {
    setResult(book.checkCode(text, outbox));
    setCode('');
    refresh();
  };
  const scan = async () => {
    const text = await scanBoardingCode();
    if (text) byCode(text);
  };
  const syncNow = async () => {
    setBusy(true);
    const report = await outbox.flush({ force: true });
    setBusy(false);
    setMessage(report.error ? `暂未同步：${report.error}` : `已同步 ${report.done} 条核验记录`);
  };
  const depart = async () => {
    setBusy(true);
    try {
      await outbox.flush({ force: true });
      const t = await setTripStatus(props.tripId, 'departed');
      setMessage(`车次${STATUS_LABELS[t.status]}`);
    } catch (err) {
      setMessage(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (!manifest) {
    return (
      <View className='wk tr-page escort-boarding'>
        <View className='wk-card'>
          <Text className='wk-title'>登车核验</Text>
          <Text className='wk-note'>先在有网络的地方下载本车次的登车名单（座位、姓名、上车点、乘车码），之后整车核验都不需要网络。</Text>
        </View>
        <View className={`wk-btn manifest-download${busy ? ' wk-btn--disabled' : ''}`} onClick={() => void download()}>
          下载登车名单
        </View>
        {message ? <Text className='wk-note escort-message'>{message}</Text> : null}
      </View>
    );
  }

  const pending = outbox.pendingOps.filter((o) => o.type === 'boarding.checkin').length;
  const refused = outbox.attention.filter((a) => a.op.type === 'boarding.checkin' && a.op.data.tripId === props.tripId);
  const total = manifest.passengers.length;
  const found = book.search(q);
  return (
    <View className='wk tr-page escort-boarding'>
      <View className='wk-card'>
        <TripTitle title={manifest.trip.title} direction={manifest.trip.direction} className='wk-title escort-trip-title' />
        <Text className='wk-note'>
          {formatDateTime(manifest.trip.departureAt)} 发车 · {manifest.trip.vehicle} · 名单下载于 {formatDateTime(manifest.downloadedAt)}
        </Text>
        <Text className='tr-count escort-count'>
          已登车 {book.boardedCount} / {total} 人
        </Text>
        <Text className='wk-note escort-pending'>{pending ? `${pending} 条核验记录待同步` : '核验记录都已同步'}</Text>
      </View>

      <View className='wk-card'>
        <Text className='wk-title'>扫乘车码</Text>
        <View className='wk-btn escort-scan' onClick={() => void scan()}>
          扫码核验
        </View>
        <LimitedInput className='wk-input escort-code' value={code} maxlength={60} placeholder='或输入乘车码下方的核验码' onChange={setCode} onConfirm={() => byCode(code)} />
        <View className='wk-btn wk-btn--ghost escort-code-submit' onClick={() => byCode(code)}>
          核验
        </View>
      </View>

      {result ? <ResultBanner result={result} /> : null}

      <View className='wk-card'>
        <Text className='wk-title'>按姓名查找</Text>
        <LimitedInput className='wk-input escort-search' value={q} maxlength={20} placeholder='姓名或座位号' onChange={setQ} />
        {found.map((p) => {
          const c = book.checkInOf(p.id);
          return (
            <View key={p.id} className='wk-row escort-found'>
              <Text className='escort-found-name'>
                {p.seatNo} 座 · {p.name} · {p.villageName ?? ''}
              </Text>
              {c ? (
                <Text className='wk-note'>已由{c.by}于{formatDateTime(c.at)}核验</Text>
              ) : (
                <Text
                  className='wk-row-action escort-board-by-name'
                  onClick={() => {
                    setResult(book.checkName(p.id, outbox));
                    refresh();
                  }}
                >
                  核验登车
                </Text>
              )}
            </View>
          );
        })}
      </View>

      {refused.map((a) => (
        <View key={a.op.opId} className='wk-card tr-refused escort-refused'>
          <Text className='wk-error'>{a.message}</Text>
        </View>
      ))}

      <View className='wk-card escort-list'>
        <Text className='wk-title'>乘车名单</Text>
        {manifest.passengers.map((p) => {
          const c = book.checkInOf(p.id);
          const point = manifest.trip.pickupPoints.find((x) => x.id === p.pickupPoint);
          return (
            <View key={p.id} className={`wk-row escort-passenger${c ? ' escort-passenger--boarded' : ''}`}>
              <Text>
                {p.seatNo} 座 · {p.name}
                {point ? ` · ${point.name}` : ''}
              </Text>
              <Text className={`tr-tag${c ? ' tr-tag--ok' : ''}`}>{c ? '已登车' : '未登车'}</Text>
            </View>
          );
        })}
      </View>

      <View className={`wk-btn escort-sync${busy ? ' wk-btn--disabled' : ''}`} onClick={() => void syncNow()}>
        立即同步
      </View>
      <View className='wk-btn wk-btn--ghost manifest-download' onClick={() => void download()}>
        更新登车名单
      </View>
      <View className='wk-btn wk-btn--ghost escort-depart' onClick={() => void depart()}>
        全部登车，发车
      </View>
      {message ? <Text className='wk-note escort-message'>{message}</Text> : null}
    </View>
  );
}

function ResultBanner(props: { result: CheckInResult }) {
  const r = props.result;
  if (r.kind === 'unknown') return <View className='wk-card tr-result tr-result--bad escort-result'>不是本车次的乘车码，请按姓名查找</View>;
  if (r.kind === 'already')
    return (
      <View className='wk-card tr-result tr-result--warn escort-result'>
        {r.passenger.seatNo} 座 {r.passenger.name}：已由{r.by}于{formatDateTime(r.at)}核验登车
      </View>
    );
  return (
    <View className='wk-card tr-result tr-result--ok escort-result'>
      ✓ {r.passenger.seatNo} 座 {r.passenger.name} 核验登车
    </View>
  );
}
