import { useEffect, useState } from 'react';
import { Alert, DatePicker, Form, Input, InputNumber, Select, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import {
  DISABILITY_TYPES,
  EDUCATION_LEVELS,
  JOB_CATEGORIES,
  JOB_CATEGORY_GROUP_LABELS,
  POSTING_AGE_MAX,
  POSTING_AGE_MIN,
  POSTING_FIELD_LABELS,
  SEXES,
  type EmployerView,
  type Page,
  type PostingView,
} from '@jobbridge/shared';
import { api, ApiError } from '../../api/client';
import { FormModal } from '../../components/FormModal';
import { RegionSelect } from '../../components/RegionSelect';
import { isStale, optionalText } from './common';

const F = POSTING_FIELD_LABELS;
const FIELDS = ['employerId', ...Object.keys(POSTING_FIELD_LABELS)];

/** The job categories grouped by their group, as the Select shows them. */
export const CATEGORY_OPTIONS = Object.entries(JOB_CATEGORY_GROUP_LABELS).map(([group, label]) => ({
  label,
  title: label,
  options: JOB_CATEGORIES.filter((c) => c.group === group).map((c) => ({ value: c.code, label: c.label })),
}));

/** The proposal being accepted: its employer and the posting fields the contact gave. */
export interface ProposalToAccept {
  id: string;
  employerId: string;
  employerName: string;
  validFrom: string;
  validTo: string;
  workPlaceName?: string | null;
  description?: string | null;
}

interface Values {
  employerId: string;
  title: string;
  categoryCode: string;
  workRegionCode: string;
  workPlaceName?: string;
  wageMin: number;
  wageMax: number;
  headcount: number;
  ageMin?: number | null;
  ageMax?: number | null;
  sex?: string | null;
  educationMin?: string | null;
  skills?: string[];
  certificates?: string[];
  boardLodging?: boolean;
  suitsDisabilities?: string[];
  isEastWest?: boolean;
  valid: [Dayjs, Dayjs];
  description?: string;
}

/** Employers of the area to choose from, found by name (also the 维权 page's case form). */
export function EmployerSelect({ value, onChange, disabled, id, allowClear }: { value?: string; onChange?: (v: string) => void; disabled?: boolean; id?: string; allowClear?: boolean }) {
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const search = (q?: string) =>
    void api.get<Page<EmployerView>>('/employers', { q: q?.trim() || undefined, status: 'active', limit: 50 }).then(
      (p) => setOptions((old) => {
        const keep = old.filter((o) => o.value === value && !p.items.some((e) => e.id === o.value));
        return [...keep, ...p.items.map((e) => ({ value: e.id, label: e.name }))];
      }),
      () => undefined,
    );
  useEffect(() => {
    search();
  }, []);
  // The chosen employer's name, also when it is not among the first found (or is no longer active).
  useEffect(() => {
    if (value) void api.get<EmployerView>(`/employers/${value}`).then((e) => setOptions((o) => (o.some((x) => x.value === e.id) ? o : [{ value: e.id, label: e.name }, ...o])), () => undefined);
  }, [value]);
  return <Select id={id} showSearch value={value} onChange={onChange} disabled={disabled} allowClear={allowClear} filterOption={false} onSearch={search} options={options} placeholder="输入单位名称查找" />;
}

/**
 * Create (posting 'new', optionally for `employerId`) or edit a posting. Only the fields of the form are
 * sent; the API's messages go beside the fields they name (the wage, age and date ranges included).
 */
export function PostingModal({
  posting,
  employerId,
  proposal,
  onClose,
}: {
  posting: PostingView | 'new' | null;
  employerId?: string;
  /** 采纳 an employer contact's proposal: the form opens with its fields for staff to correct, and saving accepts it. */
  proposal?: ProposalToAccept | null;
  onClose: (saved?: { title: string }) => void;
}) {
  const [form] = Form.useForm<Values>();
  const existing = posting && posting !== 'new' && !proposal ? posting : null;

  function initialValues(): Partial<Values> {
    if (proposal) {
      const { validFrom, validTo, ...fields } = proposal;
      return { ...fields, workPlaceName: fields.workPlaceName ?? undefined, description: fields.description ?? undefined, valid: [dayjs(validFrom), dayjs(validTo)] } as Partial<Values>;
    }
    if (existing) return { ...existing, workPlaceName: existing.workPlaceName, description: existing.description ?? undefined, valid: [dayjs(existing.validFrom), dayjs(existing.validTo)] };
    return { employerId, headcount: 1, valid: [dayjs(), dayjs().add(6, 'month')], boardLodging: false, isEastWest: false, skills: [], certificates: [], suitsDisabilities: [], sex: null, educationMin: null };
  }

  async function submit(v: Values) {
    const body = {
      title: v.title?.trim(),
      categoryCode: v.categoryCode,
      workRegionCode: v.workRegionCode,
      // Left blank, or left as it was while the work region changed: the API names the place from its region.
      ...(optionalText(v.workPlaceName) && !(existing && v.workRegionCode !== existing.workRegionCode && v.workPlaceName === existing.workPlaceName)
        ? { workPlaceName: optionalText(v.workPlaceName) }
        : {}),
      wageMin: v.wageMin,
      wageMax: v.wageMax,
      headcount: v.headcount,
      ageMin: v.ageMin ?? null,
      ageMax: v.ageMax ?? null,
      sex: v.sex ?? null,
      educationMin: v.educationMin ?? null,
      skills: v.skills ?? [],
      certificates: v.certificates ?? [],
      boardLodging: !!v.boardLodging,
      suitsDisabilities: v.suitsDisabilities ?? [],
      isEastWest: !!v.isEastWest,
      validFrom: v.valid[0].format('YYYY-MM-DD'),
      validTo: v.valid[1].format('YYYY-MM-DD'),
      description: optionalText(v.description),
    };
    onClose(
      proposal
        ? await api.post<{ title: string }>(`/posting-proposals/${proposal.id}/accept`, body)
        : existing
          ? await api.patch<PostingView>(`/postings/${existing.id}`, { version: existing.version, ...body })
          : await api.post<PostingView>('/postings', { employerId: v.employerId, ...body }),
    );
  }

  // The validity dates are one picker: their messages go beside it.
  function datesBesidePicker(err: unknown) {
    if (!(err instanceof ApiError)) return;
    const dates = [err.fields.validFrom, err.fields.validTo].filter(Boolean);
    if (dates.length) form.setFields([{ name: 'valid', errors: dates }]);
  }

  const options = (list: readonly { code: string; label: string }[]) => list.map((e) => ({ value: e.code, label: e.label }));
  return (
    <FormModal<Values>
      open={!!posting}
      title={proposal ? `采纳企业提交的岗位：${proposal.employerName}` : existing ? `编辑岗位：${existing.title}` : '发布岗位'}
      okText={proposal ? '采纳并发布' : existing ? '保存' : '发布'}
      form={form}
      fields={FIELDS}
      onSubmit={submit}
      onCancel={() => onClose()}
      resetKey={proposal ?? posting}
      initialValues={initialValues}
      onFailed={datesBesidePicker}
      failure={(err) => (isStale(err) ? '该岗位已被他人修改：请关闭后刷新列表再改' : null)}
      fallback="保存失败"
      errorTestId="posting-error"
      width={760}
      formClassName="two-columns"
      notes={
        <>
          {proposal && <Alert className="form-alert" type="info" showIcon message="可先修改不准确的内容；采纳后岗位进入供给清单并开始为求职者匹配" />}
          {existing?.status === 'open' && <Alert className="form-alert" type="info" showIcon message="保存后系统将按新内容重新为求职者匹配此岗位" />}
        </>
      }
    >
      <Form.Item name="employerId" label="用人单位" rules={[{ required: true, message: '请选择用人单位' }]}>
        {posting ? <EmployerSelect disabled={!!existing || !!proposal} /> : <span />}
      </Form.Item>
      <Form.Item name="title" label={F.title} rules={[{ required: true, message: '请输入岗位名称' }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="categoryCode" label={F.categoryCode} rules={[{ required: true, message: '请选择工种' }]}>
        <Select showSearch optionFilterProp="label" options={CATEGORY_OPTIONS} />
      </Form.Item>
      <Form.Item name="workRegionCode" label={F.workRegionCode} rules={[{ required: true, message: '请选择工作地点' }]}>
        <RegionSelect />
      </Form.Item>
      <Form.Item name="workPlaceName" label={F.workPlaceName} extra="不填时按工作地点生成">
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="headcount" label={F.headcount} rules={[{ required: true, message: '请输入招聘人数' }]}>
        <InputNumber min={1} precision={0} style={{ width: '100%' }} addonAfter="人" />
      </Form.Item>
      <Form.Item name="wageMin" label={F.wageMin} rules={[{ required: true, message: '请输入月薪下限' }]}>
        <InputNumber min={1} precision={0} style={{ width: '100%' }} addonAfter="元/月" />
      </Form.Item>
      <Form.Item name="wageMax" label={F.wageMax} rules={[{ required: true, message: '请输入月薪上限' }]}>
        <InputNumber min={1} precision={0} style={{ width: '100%' }} addonAfter="元/月" />
      </Form.Item>
      <Form.Item name="ageMin" label={F.ageMin} extra={`${POSTING_AGE_MIN}-${POSTING_AGE_MAX}岁，不填为不限`}>
        <InputNumber precision={0} style={{ width: '100%' }} addonAfter="岁" />
      </Form.Item>
      <Form.Item name="ageMax" label={F.ageMax}>
        <InputNumber precision={0} style={{ width: '100%' }} addonAfter="岁" />
      </Form.Item>
      <Form.Item name="sex" label={F.sex}>
        <Select options={[{ value: null, label: '不限' }, ...options(SEXES)]} />
      </Form.Item>
      <Form.Item name="educationMin" label={F.educationMin}>
        <Select options={[{ value: null, label: '不限' }, ...options(EDUCATION_LEVELS)]} />
      </Form.Item>
      <Form.Item name="skills" label={F.skills} extra="输入后回车，可填多项">
        <Select mode="tags" open={false} tokenSeparators={['、', ',', '，']} />
      </Form.Item>
      <Form.Item name="certificates" label={F.certificates} extra="输入后回车，可填多项">
        <Select mode="tags" open={false} tokenSeparators={['、', ',', '，']} />
      </Form.Item>
      <Form.Item name="suitsDisabilities" label={F.suitsDisabilities}>
        <Select mode="multiple" options={options(DISABILITY_TYPES)} />
      </Form.Item>
      <Form.Item name="valid" label="有效期" rules={[{ required: true, message: '请选择有效期' }]}>
        <DatePicker.RangePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="boardLodging" label={F.boardLodging} valuePropName="checked">
        <Switch checkedChildren="是" unCheckedChildren="否" />
      </Form.Item>
      <Form.Item name="isEastWest" label={F.isEastWest} valuePropName="checked">
        <Switch checkedChildren="是" unCheckedChildren="否" />
      </Form.Item>
      <Form.Item name="description" label={F.description} className="full-row">
        <Input.TextArea rows={3} maxLength={1000} showCount />
      </Form.Item>
    </FormModal>
  );
}
