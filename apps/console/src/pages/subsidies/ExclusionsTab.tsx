import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Popconfirm, Select, Table, Typography } from 'antd';
import { SUBSIDY_TYPES, SUBSIDY_TYPE_LABELS } from '@jobbridge/shared';
import { api } from '../../api/client';
import { useSession } from '../../auth/session';
import { applyFieldErrors, unplacedText } from '../../components/fieldErrors';
import { RegionName } from '../../components/RegionSelect';
import { managesArea, messageOf, UPPER_AREA_HINT } from '../jobs/common';
import { AreaField } from './common';

interface Exclusion {
  id: string;
  regionCode: string;
  typeA: string;
  typeB: string;
}
interface Values {
  regionCode?: string;
  typeA: string;
  typeB: string;
}

const TYPE_OPTIONS = SUBSIDY_TYPES.map((t) => ({ value: t.code, label: t.label }));
const FIELDS = ['regionCode', 'typeA', 'typeB'];

/**
 * 补贴互斥: pairs of subsidies a person of an area may not both receive in overlapping periods (an approval
 * of the second is refused, naming the first; only an override with a reason pays it). The area's own pairs
 * can be set and lifted; those of the areas above are shown, read only.
 */
export function ExclusionsTab() {
  const { can, me } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [items, setItems] = useState<Exclusion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const manage = can('subsidies.manage');

  const load = useCallback(() => void api.get<{ items: Exclusion[] }>('/subsidies/exclusions').then((r) => setItems(r.items), (err: unknown) => setError(messageOf(err, '加载失败'))), []);
  useEffect(load, [load]);

  async function set(regionCode: string | undefined, typeA: string, typeB: string, excluded: boolean) {
    setBusy(true);
    setError(null);
    try {
      const r = await api.put<{ items: Exclusion[] }>('/subsidies/exclusions', { regionCode: regionCode ?? me?.region?.code, typeA, typeB, excluded });
      setItems(r.items);
      message.success(excluded ? `已设为互斥：${SUBSIDY_TYPE_LABELS[typeA]} 与 ${SUBSIDY_TYPE_LABELS[typeB]}` : '已取消互斥');
      if (excluded) form.resetFields();
    } catch (err) {
      const rest = applyFieldErrors(form, err, FIELDS);
      setError(unplacedText(err, rest) ?? messageOf(err, '保存失败'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card size="small" title="补贴互斥" className="subsidy-exclusions">
      <Typography.Paragraph type="secondary">
        互斥的两项补贴，同一人在重叠的期间内只能享受其一：县级审批第二项时不予批准，并说明已享受的是哪一项。互斥对本区域及下级区域的人员适用。
      </Typography.Paragraph>
      {error ? <Alert style={{ marginBottom: 12 }} type="error" showIcon message={error} className="exclusion-error" /> : null}
      {manage ? (
        <Form form={form} layout="inline" className="exclusion-form" onFinish={(v) => void set(v.regionCode, v.typeA, v.typeB, true)} style={{ marginBottom: 12 }}>
          <AreaField label="区域" width={220} />
          <Form.Item name="typeA" rules={[{ required: true, message: '请选择补贴' }]}>
            <Select className="exclusion-a" style={{ width: 190 }} placeholder="补贴项目" options={TYPE_OPTIONS} />
          </Form.Item>
          <Form.Item>与</Form.Item>
          <Form.Item name="typeB" rules={[{ required: true, message: '请选择补贴' }]}>
            <Select className="exclusion-b" style={{ width: 190 }} placeholder="补贴项目" options={TYPE_OPTIONS} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="exclusion-submit">
              设为互斥
            </Button>
          </Form.Item>
        </Form>
      ) : null}
      <Table<Exclusion>
        className="exclusions-table"
        rowKey="id"
        size="small"
        loading={items === null && !error}
        dataSource={items ?? []}
        pagination={false}
        locale={{ emptyText: '尚未设定互斥：各项补贴可同时享受（同一补贴同一期间仍只发放一次）' }}
        columns={[
          { title: '区域', dataIndex: 'regionCode', render: (c: string) => <RegionName code={c} /> },
          { title: '互斥的补贴', render: (_, e) => <span className="exclusion-pair">{`${SUBSIDY_TYPE_LABELS[e.typeA] ?? e.typeA} ↔ ${SUBSIDY_TYPE_LABELS[e.typeB] ?? e.typeB}`}</span> },
          {
            title: '',
            width: 160,
            render: (_, e) =>
              !manage ? null : managesArea(me, e.regionCode) ? (
                <Popconfirm title="取消这两项补贴的互斥？" okText="取消互斥" cancelText="不取消" onConfirm={() => set(e.regionCode, e.typeA, e.typeB, false)}>
                  <Button size="small" className="exclusion-lift">
                    取消互斥
                  </Button>
                </Popconfirm>
              ) : (
                <Typography.Text type="secondary">{UPPER_AREA_HINT}</Typography.Text>
              ),
          },
        ]}
      />
    </Card>
  );
}
