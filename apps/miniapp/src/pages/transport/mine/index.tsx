import { useEffect, useState } from 'react';
import { Image, Picker, Text, View } from '@tarojs/components';
import { useLoad } from '../../../hooks/use-load';
import { errorMessage } from '../../../services/errors';
import { formatDateTime } from '../../../services/format';
import { LoadState } from '../../worker/parts';
import { boardingQrImage, cancelSignUp, getMyTransport, type MySeat, type OpenTrip, signUp, STATUS_LABELS } from '../services/transport';
import '../../worker/parts.scss';
import TripTitle from '../components/trip-title';
import '../transport.scss';

/**
 * The worker's chartered trips (免费专车): the seat they have, with the pickup point and time and the
 * boarding code (乘车码) the escort scans; and the open trips of their county to sign up for.
 */
export default function MyTransportPage() {
  const [key, setKey] = useState(0);
  const data = useLoad(getMyTransport, true, String(key));
  const [message, setMessage] = useState<string | null>(null);
  const reload = () => setKey((n) => n + 1);
  return (
    <View className='wk tr-page my-transport'>
      {data.data?.seats.map((s) => <Seat key={s.passengerId} seat={s} onChanged={reload} onMessage={setMessage} />)}
      {data.data && !data.data.seats.length ? (
        <View className='wk-card'>
          <Text className='wk-note my-no-seat'>您还没有报名乘车。下面是本县可报名的免费专车。</Text>
        </View>
      ) : null}
      {message ? <Text className='wk-note my-message'>{message}</Text> : null}
      {data.data?.open.length ? <Text className='wk-title tr-section'>可报名的车次</Text> : null}
      {data.data?.open.map((t) => <OpenTripCard key={t.id} trip={t} onDone={(m) => (setMessage(m), reload())} />)}
      <LoadState state={data} name='my-transport' />
    </View>
  );
}

function Seat(props: { seat: MySeat; onChanged: () => void; onMessage: (m: string) => void }) {
  const s = props.seat;
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    void boardingQrImage(s.qr).then(setQr);
  }, [s.qr]);
  const cancel = async () => {
    try {
      await cancelSignUp(s.trip.id, s.passengerId);
      props.onMessage('已取消乘车报名');
      props.onChanged();
    } catch (err) {
      props.onMessage(errorMessage(err));
    }
  };
  return (
    <View className='wk-card tr-seat my-seat'>
      <TripTitle title={s.trip.title} direction={s.trip.direction} className='tr-trip__title my-seat-trip' />
      <Text className='wk-note'>
        {STATUS_LABELS[s.trip.status]} · {s.trip.vehicle} · 去往 {[...s.trip.employers, s.trip.destination].filter(Boolean).join('、')}
      </Text>
      <Text className='tr-count my-seat-no'>第 {s.seatNo} 座</Text>
      {s.pickupPoint ? (
        <Text className='wk-note my-pickup'>
          上车点：{s.pickupPoint.name}，{formatDateTime(s.pickupPoint.time)} 上车
        </Text>
      ) : null}
      {s.boardedAt ? (
        <Text className='tr-tag tr-tag--ok my-boarded'>已于 {formatDateTime(s.boardedAt)} 核验登车</Text>
      ) : (
        <View className='tr-qr'>
          <Text className='wk-note'>上车时请出示乘车码，护送员扫码核验</Text>
          {qr ? <Image className='tr-qr__img my-qr' src={qr} mode='aspectFit' /> : null}
          <Text className='tr-qr__code my-check-code'>核验码 {s.checkCode}</Text>
        </View>
      )}
      {!s.boardedAt && s.trip.status === 'open' ? (
        <Text className='wk-row-action my-cancel' onClick={() => void cancel()}>
          取消报名
        </Text>
      ) : null}
    </View>
  );
}

function OpenTripCard(props: { trip: OpenTrip; onDone: (message: string) => void }) {
  const t = props.trip;
  const [point, setPoint] = useState(0);
  const submit = async () => {
    try {
      const r = await signUp(t.id, t.pickupPoints[point]?.id ?? null);
      props.onDone(`报名成功：第 ${r.seatNo} 座`);
    } catch (err) {
      props.onDone(errorMessage(err));
    }
  };
  return (
    <View className='wk-card tr-trip open-trip'>
      <TripTitle title={t.title} direction={t.direction} className='tr-trip__title open-trip-title' />
      <Text className='wk-note'>
        {formatDateTime(t.departureAt)} 发车 · 去往 {[...t.employers, t.destination].filter(Boolean).join('、')} · 余 {t.freeSeats} 座
      </Text>
      {t.pickupPoints.length ? (
        <Picker mode='selector' range={t.pickupPoints.map((p) => `${p.name}（${formatDateTime(p.time)}）`)} value={point} onChange={(e) => setPoint(Number(e.detail.value))}>
          <Text className='wk-note open-trip-point'>上车点：{t.pickupPoints[point]?.name} ›</Text>
        </Picker>
      ) : null}
      <View className='wk-btn open-trip-signup' onClick={() => void submit()}>
        报名乘车
      </View>
    </View>
  );
}
