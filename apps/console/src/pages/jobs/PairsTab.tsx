import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Popconfirm, Space, Table, Typography } from 'antd';
import { api } from '../../api/client';
import { useSession } from '../../auth/session';
import { applyFieldErrors } from '../../components/fieldErrors';
import { RegionSelect } from '../../components/RegionSelect';
import { formatTime } from '../labels';
import { messageOf } from './common';

interface Pair {
  countyCode: string;
  countyName: string | null;
  partnerRegionCode: string;
  partnerRegionName: string | null;
  note: string | null;
  createdAt: string;
}

/** East-west labour cooperation pairs (东西部劳务协作): a county of the area and its partner region; add, remove. */
export function PairsTab() {
  const { me } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ countyCode: string; partnerRegionCode: string; note?: string }>();
  const [items, setItems] = useState<Pair[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [addError, setAddError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The account's county, when it has one (a county's staff or below): the pair's sending county.
  const ownCounty = me?.region && me.region.code.length >= 6 ? me.region.code.slice(0, 6) : undefined;

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setItems((await api.get<{ items: Pair[] }>('/cooperation-pairs')).items);
    } catch (err) {
      setError(messageOf(err, '加载失败'));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function add(v: { countyCode: string; partnerRegionCode: string; note?: string }) {
    setBusy(true);
    setAddError(null);
    try {
      const pair = await api.post<Pair>('/cooperation-pairs', { countyCode: v.countyCode, partnerRegionCode: v.partnerRegionCode, ...(v.note?.trim() ? { note: v.note.trim() } : {}) });
      message.success(`已新增协作关系：${pair.countyName ?? pair.countyCode} — ${pair.partnerRegionName ?? pair.partnerRegionCode}`);
      form.setFieldsValue({ partnerRegionCode: undefined, note: undefined });
      void load();
    } catch (err) {
      applyFieldErrors(form, err, ['countyCode', 'partnerRegionCode', 'note']);
      setAddError(messageOf(err, '新增失败'));
    } finally {
      setBusy(false);
    }
  }

  async function remove(p: Pair) {
    try {
      await api.delete(`/cooperation-pairs/${p.countyCode}/${p.partnerRegionCode}`);
      message.success(`已删除协作关系：${p.countyName ?? p.countyCode} — ${p.partnerRegionName ?? p.partnerRegionCode}`);
      void load();
    } catch (err) {
      message.error(messageOf(err, '删除失败'));
    }
  }

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small" title="新增协作关系">
        <Form form={form} layout="inline" onFinish={add} initialValues={{ countyCode: ownCounty }} key={ownCounty ?? 'all'}>
          <Form.Item name="countyCode" label="输出地（县）" rules={[{ required: true, message: '请选择县' }]}>
            <RegionSelect style={{ width: 260 }} />
          </Form.Item>
          <Form.Item name="partnerRegionCode" label="协作地区" rules={[{ required: true, message: '请选择协作地区' }]}>
            <RegionSelect style={{ width: 260 }} placeholder="如：江门市、蓬江区" />
          </Form.Item>
          <Form.Item name="note" label="备注">
            <Input maxLength={100} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              新增
            </Button>
          </Form.Item>
        </Form>
        {addError && <Alert style={{ marginTop: 12 }} type="error" showIcon message={addError} data-testid="pair-error" />}
      </Card>
      {error && <Alert type="error" showIcon message={error} />}
      <Card size="small">
        <div className="table-tools">
          <Typography.Text>共 {items.length} 对协作关系</Typography.Text>
        </div>
        <Table<Pair>
          rowKey={(p) => `${p.countyCode}-${p.partnerRegionCode}`}
          size="middle"
          loading={loading}
          dataSource={items}
          pagination={false}
          columns={[
            { title: '输出地（县）', key: 'county', render: (_v, p) => `${p.countyName ?? ''}（${p.countyCode}）` },
            { title: '协作地区', key: 'partner', render: (_v, p) => `${p.partnerRegionName ?? ''}（${p.partnerRegionCode}）` },
            { title: '备注', dataIndex: 'note', render: (v: string | null) => v ?? '—' },
            { title: '建立时间', dataIndex: 'createdAt', width: 150, render: (v: string) => formatTime(v) },
            {
              title: '操作',
              key: 'actions',
              width: 90,
              render: (_v, p) => (
                <Popconfirm title={`删除 ${p.countyName ?? p.countyCode} 与 ${p.partnerRegionName ?? p.partnerRegionCode} 的协作关系？`} okText="删除" cancelText="取消" onConfirm={() => remove(p)}>
                  <Button size="small" danger>
                    删除
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
