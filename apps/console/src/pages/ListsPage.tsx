import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { Alert, Card, Form, InputNumber, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { EMPLOYMENT_STATUSES, POVERTY_STATUSES, SERVICE_NEEDS, SEXES, formatTotal, type Page } from '@jobbridge/shared';
import { api, withQuery } from '../api/client';
import { applyFieldErrors } from '../components/fieldErrors';
import { ExportButton } from '../components/ExportButton';
import { AreaFilter, FilterBar, KindFilter, TextFilter, chosenFilters, codeOptions } from '../components/FilterBar';
import { LaborerDrawer } from '../components/LaborerDrawer';
import { useKeysetPages } from '../components/Pager';
import { formatTime, L, label } from './labels';

interface ListSummary {
  key: string;
  title: string;
  count: number;
  countCapped: boolean;
}

interface Row {
  id: string;
  regionCode: string;
  villageName: string | null;
  townshipName: string | null;
  name: string;
  idNumberMasked: string;
  age: number;
  sex: string;
  phone: string | null;
  headName: string;
  povertyStatus: string;
  isHardToEmploy: boolean;
  employmentStatus: string;
  migrationStatus: string;
  serviceNeeds: string[];
  updatedAt: string;
}

interface Filters {
  regionCode?: string;
  employmentStatus?: string;
  serviceNeed?: string;
  povertyStatus?: string;
  sex?: string;
  ageMin?: number;
  ageMax?: number;
  q?: string;
  idNumber?: string;
}

type Sort = 'regionCode' | 'name' | 'age' | 'updatedAt';
const PAGE_SIZE = 20;
const FILTER_FIELDS: (keyof Filters)[] = ['regionCode', 'employmentStatus', 'serviceNeed', 'povertyStatus', 'sex', 'ageMin', 'ageMax', 'q', 'idNumber'];

/** The six real-name lists: filters of the API, server-side sorting, keyset pages, a person's record, the export. */
export default function ListsPage() {
  const key = useParams()['*'] || 'all';
  const navigate = useNavigate();
  const [form] = Form.useForm<Filters>();
  const [lists, setLists] = useState<ListSummary[]>([]);
  const [filters, setFilters] = useState<Filters>({});
  const [sort, setSort] = useState<{ sort: Sort; order: 'asc' | 'desc' }>({ sort: 'regionCode', order: 'asc' });
  // The open record is in the address (?person=id): a link to it opens it, through the same audited read and area rule.
  const [params, setParams] = useSearchParams();
  const open = params.get('person');
  const setOpen = (id: string | null) => setParams(id ? { person: id } : {});

  useEffect(() => {
    api.get<{ items: ListSummary[] }>('/lists', { regionCode: filters.regionCode }).then(
      (r) => setLists(r.items),
      () => undefined,
    );
  }, [filters.regionCode]);

  const query = useMemo(() => ({ ...filters, sort: sort.sort, order: sort.order }), [filters, sort]);
  const fetchPage = useCallback((cursor: string | undefined) => api.get<Page<Row>>(`/lists/${key}`, { ...query, cursor, limit: PAGE_SIZE }), [key, query]);
  // The field's own message beside it; the whole message (it names the fields too) above the table.
  const { page, loading, error, restart, pager } = useKeysetPages(fetchPage, (err) => applyFieldErrors(form, err, FILTER_FIELDS));

  function search(values: Filters) {
    setFilters(chosenFilters(values, FILTER_FIELDS));
    restart();
  }

  const onTableChange: TableProps<Row>['onChange'] = (_p, _f, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = (s?.order ? s.columnKey : undefined) as Sort | undefined;
    setSort(field ? { sort: field, order: s.order === 'descend' ? 'desc' : 'asc' } : { sort: 'regionCode', order: 'asc' });
    restart();
  };

  const sortOrder = (k: Sort) => (sort.sort === k ? (sort.order === 'desc' ? 'descend' : 'ascend') : null);
  const columns: TableProps<Row>['columns'] = [
    { title: '姓名', dataIndex: 'name', key: 'name', sorter: true, sortOrder: sortOrder('name'), render: (v: string) => <a>{v}</a> },
    { title: '性别', dataIndex: 'sex', width: 60, render: (v: string) => label(L.sex, v) },
    { title: '年龄', dataIndex: 'age', key: 'age', width: 80, sorter: true, sortOrder: sortOrder('age') },
    { title: '身份证号', dataIndex: 'idNumberMasked', width: 180 },
    { title: '乡镇 / 村', key: 'regionCode', sorter: true, sortOrder: sortOrder('regionCode'), render: (_v, r) => `${r.townshipName ?? ''} ${r.villageName ?? r.regionCode}` },
    { title: '脱贫属性', dataIndex: 'povertyStatus', width: 100, render: (v: string) => label(L.poverty, v) },
    {
      title: '就业状态',
      dataIndex: 'employmentStatus',
      render: (v: string, r) => (
        <Space size={4}>
          {label(L.employment, v)}
          {r.isHardToEmploy && <Tag color="orange">困难</Tag>}
        </Space>
      ),
    },
    { title: '手机号', dataIndex: 'phone', width: 130, render: (v: string | null) => v ?? '—' },
    { title: '更新时间', dataIndex: 'updatedAt', key: 'updatedAt', width: 160, sorter: true, sortOrder: sortOrder('updatedAt'), render: (v: string) => formatTime(v) },
  ];

  const title = lists.find((l) => l.key === key)?.title ?? '实名清单';
  return (
    <>
      <Typography.Title level={4}>{title}</Typography.Title>
      <Segmented
        value={key}
        onChange={(k) => {
          navigate(`/lists/${k}`);
          restart();
        }}
        options={lists.map((l) => ({ value: l.key, label: `${l.title.replace(/实名清单$|清单$/, '')}（${formatTotal({ total: l.count, totalCapped: l.countCapped })}）` }))}
        style={{ marginBottom: 12 }}
      />
      <FilterBar form={form} onSearch={search}>
        <AreaFilter />
        <KindFilter name="employmentStatus" label="就业状态" options={codeOptions(EMPLOYMENT_STATUSES)} />
        <KindFilter name="serviceNeed" label="服务需求" options={codeOptions(SERVICE_NEEDS)} width={130} />
        <KindFilter name="povertyStatus" label="脱贫属性" options={codeOptions(POVERTY_STATUSES)} width={110} />
        <KindFilter name="sex" label="性别" options={codeOptions(SEXES)} width={80} />
        <Form.Item label="年龄">
          <Space.Compact>
            <Form.Item name="ageMin" noStyle>
              <InputNumber placeholder="最小" min={0} max={150} style={{ width: 72 }} />
            </Form.Item>
            <Form.Item name="ageMax" noStyle>
              <InputNumber placeholder="最大" min={0} max={150} style={{ width: 72 }} />
            </Form.Item>
          </Space.Compact>
        </Form.Item>
        <TextFilter name="q" label="姓名" placeholder="姓名中的字" />
        <TextFilter name="idNumber" label="身份证号" placeholder="完整18位" width={190} />
      </FilterBar>
      {error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} data-testid="list-error" />}
      <Card size="small" style={{ marginTop: 12 }}>
        <div className="table-tools">
          {/* Past LIST_COUNT_CAP a filtered list's total is a capped count: "共 10,000+ 人". */}
          <Typography.Text data-testid="list-total">共 {page ? formatTotal(page) : 0} 人</Typography.Text>
          <ExportButton path={withQuery(`/lists/${key}/export`, query)} fallbackName={`${title}.xlsx`} />
        </div>
        <Table<Row>
          rowKey="id"
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={page?.items ?? []}
          pagination={false}
          onChange={onTableChange}
          onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
          scroll={{ x: 'max-content' }}
        />
        {pager}
      </Card>
      <LaborerDrawer id={open} onClose={() => setOpen(null)} />
    </>
  );
}
