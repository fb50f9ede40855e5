import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Form, Input, InputNumber, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorOf, fetchWithSession } from '../api/client';
import { ExportButton } from '../components/ExportButton';
import { FormModal } from '../components/FormModal';
import { formatTime } from './labels';

interface Counts {
  booked: number;
  boarded: number;
  povertyBoarded: number;
  noShows: number;
  handedOver: number;
}

interface Trip {
  id: string;
  title: string;
  direction: 'outbound' | 'return';
  departureAt: string;
  employers: Array<{ id: string; name: string }>;
  destination: string | null;
  vehicle: string;
  seats: number;
  drivers: Array<{ name: string; phone: string }>;
  escorts: Array<{ id: string; name: string }>;
  pickupPoints: Array<{ id: string; name: string; time: string }>;
  status: 'open' | 'boarding' | 'departed' | 'arrived' | 'cancelled';
  counts: Counts;
  mine: { manages: boolean; escorts: boolean };
}

interface Passenger {
  id: string;
  laborerId: string;
  name: string;
  phone: string | null;
  villageName: string | null;
  seatNo: number;
  pickupPoint: string | null;
  povertyLifted: boolean;
  employerName: string | null;
  boardedAt: string | null;
  boardedByName: string | null;
  handedOverAt: string | null;
}

interface Suggestion {
  laborerId: string;
  name: string;
  phone: string | null;
  villageName: string | null;
  employerId: string;
  employerName: string;
  status: 'applied' | 'hired';
  povertyLifted: boolean;
}

const STATUS: Record<Trip['status'], { text: string; color: string }> = {
  open: { text: '报名中', color: 'blue' },
  boarding: { text: '登车中', color: 'orange' },
  departed: { text: '已发车', color: 'purple' },
  arrived: { text: '已到达', color: 'green' },
  cancelled: { text: '已取消', color: 'default' },
};
const NEXT: Partial<Record<Trip['status'], Array<{ to: Trip['status']; label: string }>>> = {
  open: [{ to: 'boarding', label: '开始登车' }, { to: 'cancelled', label: '取消车次' }],
  boarding: [{ to: 'departed', label: '发车' }, { to: 'cancelled', label: '取消车次' }],
  departed: [{ to: 'arrived', label: '已到达' }],
};

/**
 * 点对点输送: the county's chartered trips (新建车次 with destinations, vehicle, seats, escorts, pickup points),
 * a trip's roster (from the people who applied to or were hired by its employers; phones masked unless asked),
 * its status, the period's counts (carried, of whom poverty-relieved, no-shows), the xlsx and the printable roster.
 */
export default function TransportPage() {
  const { message } = App.useApp();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('month'), dayjs().add(3, 'month').endOf('month')]);
  const [trips, setTrips] = useState<Trip[] | null>(null);
  const [totals, setTotals] = useState<(Counts & { trips: number }) | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    const query = { from: range[0].format('YYYY-MM-DD'), to: range[1].add(1, 'day').format('YYYY-MM-DD') };
    try {
      const [list, counts] = await Promise.all([api.get<{ items: Trip[] }>('/transport/trips', query), api.get<Counts & { trips: number }>('/transport/counts', query)]);
      setTrips(list.items.filter((t) => Date.parse(t.departureAt) < Date.parse(query.to)));
      setTotals(counts);
    } catch (err) {
      setError(err instanceof Error ? err.message : '加载失败');
    }
  }, [range]);
  useEffect(() => void load(), [load]);

  const trip = trips?.find((t) => t.id === selected) ?? null;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} className="transport-page">
      <Card
        title="点对点输送"
        extra={
          <Space>
            <DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="trip-create">
              新建车次
            </Button>
          </Space>
        }
      >
        {error ? <Alert type="error" message={error} showIcon /> : null}
        {totals ? (
          <Space size="large" className="transport-totals">
            <Statistic title="车次" value={totals.trips} />
            <Statistic title="输送人数（已登车）" value={totals.boarded} />
            <Statistic title="其中脱贫劳动力" value={totals.povertyBoarded} />
            <Statistic title="未到（发车后未登车）" value={totals.noShows} />
            <Statistic title="企业已接收" value={totals.handedOver} />
          </Space>
        ) : null}
        <Table<Trip>
          style={{ marginTop: 16 }}
          rowKey="id"
          size="small"
          loading={trips === null && !error}
          dataSource={trips ?? []}
          pagination={false}
          rowClassName={(t) => (t.id === selected ? 'ant-table-row-selected' : '')}
          onRow={(t) => ({ onClick: () => setSelected(t.id) })}
          columns={[
            { title: '车次', dataIndex: 'title', render: (v: string, t) => <Typography.Link className="trip-title">{v}{t.direction === 'return' ? '（返乡）' : ''}</Typography.Link> },
            { title: '发车', dataIndex: 'departureAt', render: (v: string) => formatTime(v) },
            { title: '去向', render: (_, t) => [...t.employers.map((e) => e.name), t.destination].filter(Boolean).join('、') },
            { title: '状态', dataIndex: 'status', render: (s: Trip['status']) => <Tag color={STATUS[s].color}>{STATUS[s].text}</Tag> },
            { title: '名单/座位', render: (_, t) => `${t.counts.booked}/${t.seats}` },
            { title: '已登车', render: (_, t) => t.counts.boarded },
            { title: '脱贫劳动力', render: (_, t) => t.counts.povertyBoarded },
            { title: '未到', render: (_, t) => t.counts.noShows },
            { title: '已交接', render: (_, t) => t.counts.handedOver },
          ]}
        />
      </Card>
      {trip ? <TripDetail key={trip.id} trip={trip} onChanged={() => void load()} /> : null}
      <CreateTrip
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(t) => {
          setCreating(false);
          message.success(`已新建车次：${t.title}`);
          void load().then(() => setSelected(t.id));
        }}
      />
    </Space>
  );
}

function TripDetail({ trip, onChanged }: { trip: Trip; onChanged: () => void }) {
  const { message } = App.useApp();
  const [roster, setRoster] = useState<Passenger[] | null>(null);
  const [phones, setPhones] = useState<'masked' | 'full'>('masked');
  const [suggestions, setSuggestions] = useState<Suggestion[] | null>(null);
  const [editing, setEditing] = useState(false);

  const loadRoster = useCallback(async () => {
    const r = await api.get<{ items: Passenger[] }>(`/transport/trips/${trip.id}/passengers`, { phones });
    setRoster(r.items);
  }, [trip.id, phones]);
  useEffect(() => void loadRoster().catch((err: Error) => message.error(err.message)), [loadRoster, message]);

  const point = (id: string | null) => trip.pickupPoints.find((p) => p.id === id);
  async function setStatus(to: Trip['status']) {
    try {
      await api.post(`/transport/trips/${trip.id}/status`, { status: to });
      onChanged();
    } catch (err) {
      message.error(err instanceof Error ? err.message : '操作失败');
    }
  }
  async function suggest() {
    try {
      setSuggestions((await api.get<{ items: Suggestion[] }>(`/transport/trips/${trip.id}/suggestions`)).items);
    } catch (err) {
      message.error(err instanceof Error ? err.message : '加载失败');
    }
  }
  async function add(s: Suggestion) {
    try {
      const r = await api.post<{ seatNo: number }>(`/transport/trips/${trip.id}/passengers`, { laborerId: s.laborerId, employerId: s.employerId, source: s.status });
      message.success(`${s.name} 已加入名单：第 ${r.seatNo} 座`);
      setSuggestions((list) => list?.filter((x) => x.laborerId !== s.laborerId) ?? null);
      await loadRoster();
      onChanged();
    } catch (err) {
      message.error(err instanceof Error ? err.message : '加入失败');
    }
  }
  async function remove(p: Passenger) {
    try {
      await api.delete(`/transport/trips/${trip.id}/passengers/${p.id}`);
      await loadRoster();
      onChanged();
    } catch (err) {
      message.error(err instanceof Error ? err.message : '移出失败');
    }
  }
  async function print() {
    try {
      const res = await fetchWithSession('GET', `/transport/trips/${trip.id}/print`);
      if (!res.ok) throw await errorOf(res);
      const url = URL.createObjectURL(new Blob([await res.text()], { type: 'text/html;charset=utf-8' }));
      window.open(url, '_blank');
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      message.error(err instanceof Error ? err.message : '打印失败');
    }
  }

  return (
    <Card
      title={trip.title}
      className="trip-detail"
      extra={
        trip.mine.manages ? (
          <Space wrap>
            {(NEXT[trip.status] ?? []).map((n) => (
              <Button key={n.to} onClick={() => void setStatus(n.to)} danger={n.to === 'cancelled'}>
                {n.label}
              </Button>
            ))}
            {(trip.status === 'open' || trip.status === 'boarding') && (
              <Button onClick={() => setEditing(true)} data-testid="trip-edit">
                修改车次
              </Button>
            )}
            <ExportButton path={`/transport/trips/${trip.id}/export`} fallbackName={`乘车名单-${trip.title}.xlsx`} />
            <Button icon={<PrinterOutlined />} onClick={() => void print()} data-testid="trip-print">
              打印名单
            </Button>
          </Space>
        ) : null
      }
    >
      <Descriptions size="small" column={3}>
        <Descriptions.Item label="发车">{formatTime(trip.departureAt)}</Descriptions.Item>
        <Descriptions.Item label="车辆">{trip.vehicle}（{trip.seats} 座）</Descriptions.Item>
        <Descriptions.Item label="司机">{trip.drivers.map((d) => `${d.name} ${d.phone}`).join('；') || '—'}</Descriptions.Item>
        <Descriptions.Item label="护送员">{trip.escorts.map((e) => e.name).join('、') || '—'}</Descriptions.Item>
        <Descriptions.Item label="上车点" span={2}>
          {trip.pickupPoints.map((p) => `${p.name} ${formatTime(p.time)}`).join('；') || '—'}
        </Descriptions.Item>
      </Descriptions>
      <Space style={{ margin: '12px 0' }}>
        <Button onClick={() => void suggest()} data-testid="trip-suggest" disabled={trip.status !== 'open' && trip.status !== 'boarding'}>
          从已报名、已录用的人中加人
        </Button>
        <Button onClick={() => setPhones(phones === 'full' ? 'masked' : 'full')}>{phones === 'full' ? '隐藏完整手机号' : '显示完整手机号（记入审计）'}</Button>
      </Space>
      {suggestions ? (
        <Table<Suggestion>
          className="trip-suggestions"
          rowKey="laborerId"
          size="small"
          pagination={false}
          locale={{ emptyText: '没有可加入的人（去向单位的已报名、已录用人员都已在名单中）' }}
          dataSource={suggestions}
          columns={[
            { title: '姓名', dataIndex: 'name' },
            { title: '村', dataIndex: 'villageName' },
            { title: '手机号', dataIndex: 'phone' },
            { title: '单位', dataIndex: 'employerName' },
            { title: '', dataIndex: 'status', render: (s: string) => (s === 'hired' ? '已录用' : '已报名') },
            { title: '脱贫户', dataIndex: 'povertyLifted', render: (v: boolean) => (v ? '是' : '') },
            { title: '', render: (_, s) => <Button size="small" onClick={() => void add(s)}>加入名单</Button> },
          ]}
        />
      ) : null}
      <Table<Passenger>
        className="trip-roster"
        style={{ marginTop: 12 }}
        rowKey="id"
        size="small"
        loading={roster === null}
        pagination={false}
        dataSource={roster ?? []}
        columns={[
          { title: '座位', dataIndex: 'seatNo', width: 60 },
          { title: '姓名', dataIndex: 'name' },
          { title: '手机号', dataIndex: 'phone' },
          { title: '村', dataIndex: 'villageName' },
          { title: '上车点', render: (_, p) => point(p.pickupPoint)?.name ?? '—' },
          { title: '脱贫户', dataIndex: 'povertyLifted', render: (v: boolean) => (v ? <Tag color="gold">脱贫户</Tag> : '') },
          { title: '去向单位', dataIndex: 'employerName' },
          { title: '登车核验', render: (_, p) => (p.boardedAt ? `${formatTime(p.boardedAt)} ${p.boardedByName ?? ''}` : '—') },
          { title: '企业交接', render: (_, p) => (p.handedOverAt ? formatTime(p.handedOverAt) : '—') },
          {
            title: '',
            render: (_, p) =>
              !p.boardedAt && (trip.status === 'open' || trip.status === 'boarding') ? (
                <Button size="small" type="link" onClick={() => void remove(p)}>
                  移出
                </Button>
              ) : null,
          },
        ]}
      />
      <EditTrip
        trip={trip}
        open={editing}
        onClose={(changed) => {
          setEditing(false);
          if (changed) onChanged();
        }}
      />
    </Card>
  );
}

type Option = { value: string; label: string };

/** The county's officers, the escorts a trip may take (loaded when a trip dialog opens). */
function useEscortOptions(open: boolean): Option[] {
  const [escorts, setEscorts] = useState<Option[]>([]);
  useEffect(() => {
    if (!open) return;
    void api.get<{ items: Array<{ id: string; name: string }> }>('/accounts', { role: 'officer', limit: 200 }).then((r) => setEscorts(r.items.map((a) => ({ value: a.id, label: a.name }))), () => undefined);
  }, [open]);
  return escorts;
}

/**
 * A trip's fields, the same in 新建车次 and 修改车次: the name, the departure, where it goes, the bus, its seats, the
 * driver and the escorts. `create` adds what only a new trip sets: its direction, the employers it goes to and the
 * pickup points (a trip's passengers refer to its points, so they are not edited after).
 */
function TripFields({ escorts, create }: { escorts: Option[]; create?: { employers: Option[] } }) {
  return (
    <>
      <Form.Item name="title" label="车次名称" rules={[{ required: true, message: '请填写车次名称' }]}>
        <Input maxLength={100} placeholder="天等—江门 节后返岗专车" />
      </Form.Item>
      {/* Rows of the grid, not Space: each field's message wraps in its own column and the labels stay on one line. */}
      <Row gutter={12}>
        {create ? (
          <Col span={8}>
            <Form.Item name="direction" label="方向">
              <Select options={[{ value: 'outbound', label: '外出务工（送）' }, { value: 'return', label: '返乡（接）' }]} />
            </Form.Item>
          </Col>
        ) : null}
        <Col span={10}>
          <Form.Item name="departureAt" label="发车时间" rules={[{ required: true, message: '请选择发车时间' }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      {create ? (
        <Form.Item name="employerIds" label="去向单位">
          <Select mode="multiple" options={create.employers} optionFilterProp="label" placeholder="岗位清单中的用工单位" />
        </Form.Item>
      ) : null}
      <Form.Item name="destination" label="目的地">
        <Input maxLength={200} placeholder="广东省江门市蓬江区……" />
      </Form.Item>
      <Row gutter={12}>
        <Col span={6}>
          <Form.Item name="vehicle" label="车辆" rules={[{ required: true, message: '请填写车牌号' }]}>
            <Input maxLength={50} placeholder="桂F·D3618" />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="seats" label="座位数" rules={[{ required: true, message: '请填写座位数' }]}>
            <InputNumber min={1} max={99} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="driverName" label="司机">
            <Input maxLength={50} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="driverPhone" label="司机电话">
            <Input maxLength={20} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="escortIds" label="护送员">
        <Select mode="multiple" options={escorts} optionFilterProp="label" placeholder="本县的信息员账号" />
      </Form.Item>
      {create ? (
        <Form.Item name="pickups" label="上车点（一行一个：地点 时间）">
          <Input.TextArea rows={3} placeholder={'天等镇政府门口 07:00\n天等县汽车总站 07:30'} />
        </Form.Item>
      ) : null}
    </>
  );
}

interface EditValues {
  title: string;
  departureAt: Dayjs;
  destination?: string;
  vehicle: string;
  seats: number;
  driverName?: string;
  driverPhone?: string;
  escortIds: string[];
}

const EDIT_FIELDS = ['title', 'departureAt', 'destination', 'vehicle', 'seats', 'escortIds'] as const;

/**
 * 修改车次 (PATCH /transport/trips/:id, while open or boarding): the time, the bus, its seats (not fewer than the
 * seat numbers given out: the API says so), the driver and the escorts. The pickup points stay as they are (the
 * passengers' points refer to them).
 */
function EditTrip({ trip, open, onClose }: { trip: Trip; open: boolean; onClose: (changed: boolean) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<EditValues>();
  const escorts = useEscortOptions(open);
  const options = [...escorts, ...trip.escorts.filter((e) => !escorts.some((o) => o.value === e.id)).map((e) => ({ value: e.id, label: e.name }))];
  return (
    <FormModal<EditValues>
      open={open}
      title={`修改车次：${trip.title}`}
      okText="保存"
      form={form}
      fields={EDIT_FIELDS}
      fallback="保存失败"
      errorTestId="trip-edit-error"
      width={640}
      resetKey={trip.id}
      initialValues={() => ({
        title: trip.title,
        departureAt: dayjs(trip.departureAt),
        destination: trip.destination ?? undefined,
        vehicle: trip.vehicle,
        seats: trip.seats,
        driverName: trip.drivers[0]?.name,
        driverPhone: trip.drivers[0]?.phone,
        escortIds: trip.escorts.map((e) => e.id),
      })}
      onCancel={() => onClose(false)}
      onSubmit={async (v) => {
        await api.patch(`/transport/trips/${trip.id}`, {
          title: v.title,
          departureAt: v.departureAt.toISOString(),
          destination: v.destination || null,
          vehicle: v.vehicle,
          seats: v.seats,
          drivers: v.driverName && v.driverPhone ? [{ name: v.driverName, phone: v.driverPhone }, ...trip.drivers.slice(1)] : trip.drivers.slice(1),
          escortIds: v.escortIds ?? [],
        });
        message.success('车次已修改');
        onClose(true);
      }}
    >
      <TripFields escorts={options} />
    </FormModal>
  );
}

interface CreateValues extends EditValues {
  direction: 'outbound' | 'return';
  employerIds: string[];
  pickups?: string;
}

/** The create dialog's fields; the API's messages for others (pickupPoints, drivers) are in its alert, as every message is. */
const CREATE_FIELDS = [...EDIT_FIELDS, 'direction', 'employerIds'] as const;

/** One pickup point a line: "天等镇政府门口 07:00" (the time on the departure day; a line without a time is at departure). */
function pickupPointsOf(text: string | undefined, departure: Dayjs): Array<{ name: string; time: string }> {
  return (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const m = /^(.*?)\s+(\d{1,2}):(\d{2})$/.exec(line);
      return m ? { name: m[1], time: departure.hour(Number(m[2])).minute(Number(m[3])).second(0).toISOString() } : { name: line, time: departure.toISOString() };
    });
}

function CreateTrip({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (t: Trip) => void }) {
  const [form] = Form.useForm<CreateValues>();
  const [employers, setEmployers] = useState<Option[]>([]);
  const escorts = useEscortOptions(open);
  useEffect(() => {
    if (!open) return;
    void api.get<{ items: Array<{ id: string; name: string }> }>('/employers', { status: 'active', limit: 200 }).then((r) => setEmployers(r.items.map((e) => ({ value: e.id, label: e.name }))), () => undefined);
  }, [open]);

  return (
    <FormModal<CreateValues>
      open={open}
      title="新建点对点输送车次"
      okText="保存"
      form={form}
      fields={CREATE_FIELDS}
      fallback="保存失败"
      errorTestId="trip-create-error"
      width={640}
      initialValues={() => ({ direction: 'outbound', seats: 45 })}
      onCancel={onClose}
      onSubmit={async (v) => {
        const t = await api.post<Trip>('/transport/trips', {
          title: v.title,
          direction: v.direction,
          departureAt: v.departureAt.toISOString(),
          employerIds: v.employerIds ?? [],
          destination: v.destination || null,
          vehicle: v.vehicle,
          seats: v.seats,
          drivers: v.driverName && v.driverPhone ? [{ name: v.driverName, phone: v.driverPhone }] : [],
          escortIds: v.escortIds ?? [],
          pickupPoints: pickupPointsOf(v.pickups, v.departureAt),
        });
        onCreated(t);
      }}
    >
      <TripFields escorts={escorts} create={{ employers }} />
    </FormModal>
  );
}
