import { useRef, useState } from 'react';
import { App, Button, DatePicker, Form, Input, InputNumber, Radio, Select, Space, Typography, type FormInstance } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { CONDITION_OP_LABELS, SUBSIDY_FACTS, SUBSIDY_FACT_NAMES, SUBSIDY_TYPES, SUBSIDY_TYPE_LABELS, factValueText, type ConditionOp, type RuleData } from '@jobbridge/shared';
import { ApiError, api } from '../../api/client';
import { useSession } from '../../auth/session';
import { FormModal } from '../../components/FormModal';
import { RegionName } from '../../components/RegionSelect';
import { chinaToday } from '../labels';
import { AreaField, type Rule, type Version } from './common';
import { factOf, formNameOf, fromRows, opsFor, toRows, type LeafRow, type RuleRows } from './rule-form';

interface Values extends RuleRows {
  name?: string;
  subsidyType?: string;
  regionCode?: string;
  effectiveFrom?: Dayjs;
  json?: string;
}

/** The form's own fields: the API's messages for them go beside them (the rows' are placed by `formNameOf`). */
const FIELDS = ['name', 'subsidyType', 'regionCode', 'effectiveFrom', 'json'] as const;
const FACT_OPTIONS = SUBSIDY_FACT_NAMES.map((f) => ({ value: f, label: SUBSIDY_FACTS[f].label }));
const NEW_RULE: RuleRows = { combine: 'all', conditions: [{ field: 'povertyRelieved', op: 'eq', value: 'true' }], tiers: [{ label: '', amountYuan: null, when: [] }] };
const item = { style: { marginBottom: 0 } };

/** The value's control for the row's fact and comparison: 是/否, a number, one value or several of the fact's values. */
function ValueControl({ field, op, value, onChange }: { field?: string; op?: ConditionOp; value?: LeafRow['value']; onChange?: (v: LeafRow['value']) => void }) {
  const def = factOf(field);
  if (!def || !field) return <Input disabled style={{ width: 200 }} placeholder="先选条件" />;
  if (def.kind === 'boolean')
    return <Select className="leaf-value" style={{ width: 200 }} value={value as string} onChange={onChange} options={[{ value: 'true', label: '是' }, { value: 'false', label: '否' }]} />;
  if (def.kind === 'number') return <InputNumber className="leaf-value" style={{ width: 200 }} value={value as number} onChange={(v) => onChange?.(v)} />;
  return (
    <Select
      className="leaf-value"
      style={{ width: 200 }}
      mode={op === 'in' ? 'multiple' : undefined}
      value={value as string | string[]}
      onChange={onChange}
      options={(def.values ?? []).map((v) => ({ value: v, label: factValueText(field, v) }))}
    />
  );
}

/** One comparison: the fact, how it compares, the value; changing the fact starts the row afresh. */
function LeafRowItem({ name, abs, onRemove, className }: { name: number; abs: (string | number)[]; onRemove: () => void; className: string }) {
  // Untyped: the row's paths are built at run time (a condition's, or a tier's "when").
  const form: FormInstance = Form.useFormInstance();
  const field = Form.useWatch([...abs, 'field'], form) as string | undefined;
  const op = Form.useWatch([...abs, 'op'], form) as ConditionOp | undefined;
  const reshape = (to: ConditionOp) => {
    const v = form.getFieldValue([...abs, 'value']) as LeafRow['value'];
    if (to === 'in' && v !== undefined && v !== null && !Array.isArray(v)) form.setFieldValue([...abs, 'value'], [v]);
    if (to !== 'in' && Array.isArray(v)) form.setFieldValue([...abs, 'value'], v[0]);
  };
  return (
    <Space align="start" className={`leaf-row ${className}`} style={{ display: 'flex', marginBottom: 6 }}>
      <Form.Item {...item} name={[name, 'field']} rules={[{ required: true, message: '请选择条件' }]}>
        <Select className="leaf-field" style={{ width: 190 }} placeholder="条件" options={FACT_OPTIONS} onChange={(v: string) => form.setFieldValue(abs, { field: v, op: opsFor(v)[0], value: undefined })} />
      </Form.Item>
      <Form.Item {...item} name={[name, 'op']} rules={[{ required: true, message: '请选择比较' }]}>
        <Select className="leaf-op" style={{ width: 96 }} options={opsFor(field).map((o) => ({ value: o, label: CONDITION_OP_LABELS[o] }))} onChange={reshape} />
      </Form.Item>
      <Form.Item {...item} name={[name, 'value']} rules={[{ required: true, message: '请填写比较的值' }]}>
        <ValueControl field={field} op={op} />
      </Form.Item>
      <Button type="text" icon={<MinusCircleOutlined />} onClick={onRemove} aria-label="删除此条件" />
    </Space>
  );
}

function LeafRows({ list, abs, addText, prefix }: { list: string | (string | number)[]; abs: (string | number)[]; addText: string; prefix: string }) {
  return (
    <Form.List name={list}>
      {(fields, { add, remove }) => (
        <>
          {fields.map((f, i) => (
            <LeafRowItem key={f.key} name={f.name} abs={[...abs, f.name]} onRemove={() => remove(f.name)} className={`${prefix}-${i}`} />
          ))}
          <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add({ op: 'eq' })} className={`${prefix}-add`}>
            {addText}
          </Button>
        </>
      )}
    </Form.List>
  );
}

function RowsEditor() {
  return (
    <>
      <Form.Item label="符合条件" name="combine" style={{ marginBottom: 8 }}>
        <Radio.Group optionType="button" size="small" options={[{ value: 'all', label: '以下全部满足' }, { value: 'any', label: '以下任一满足' }]} />
      </Form.Item>
      <div className="rule-form-conditions" style={{ marginBottom: 16 }}>
        <LeafRows list="conditions" abs={['conditions']} addText="添加条件" prefix="cond" />
      </div>
      <Typography.Text strong>补贴档次（从上到下取第一个符合的）</Typography.Text>
      <Form.List name="tiers">
        {(tiers, { add, remove }) => (
          <>
            {tiers.map((t, i) => (
              <div key={t.key} className={`tier-row tier-${i}`} style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: 10, margin: '8px 0' }}>
                <Space align="start" wrap>
                  <Form.Item {...item} label={`档次 ${i + 1} 名称`} name={[t.name, 'label']} rules={[{ required: true, message: '请填写档次名称' }]}>
                    <Input className="tier-label" style={{ width: 200 }} placeholder="如：省外务工" />
                  </Form.Item>
                  <Form.Item {...item} label="金额（元）" name={[t.name, 'amountYuan']} rules={[{ required: true, message: '请填写金额' }]}>
                    <InputNumber className="tier-amount" style={{ width: 160 }} precision={2} />
                  </Form.Item>
                  {tiers.length > 1 ? (
                    <Button type="link" danger onClick={() => remove(t.name)} style={{ marginTop: 30 }}>
                      删除此档
                    </Button>
                  ) : null}
                </Space>
                <div style={{ marginTop: 8 }}>
                  <Typography.Text type="secondary">适用于（以下全部满足；不加条件即所有符合者）：</Typography.Text>
                  <LeafRows list={[t.name, 'when']} abs={['tiers', t.name, 'when']} addText="添加适用条件" prefix={`tier-${i}-when`} />
                </div>
              </div>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ label: '', amountYuan: null, when: [] })} className="tier-add">
              添加档次
            </Button>
          </>
        )}
      </Form.List>
    </>
  );
}

/** Puts the API's rule messages on the rows they name (or, editing JSON, under the text with their paths); answers those left for the alert. */
function placeRuleErrors(form: FormInstance, err: unknown, json: boolean): string[] {
  if (!(err instanceof ApiError)) return [];
  const left: string[] = [];
  const onJson: string[] = [];
  for (const [key, msg] of Object.entries(err.fields)) {
    if (!key.startsWith('data')) continue;
    const name = json ? null : formNameOf(key);
    if (json) onJson.push(`${key.replace(/^data\.?/, '') || '整体'}：${msg}`);
    else if (name) form.setFields([{ name, errors: [msg] }]);
    else left.push(msg);
  }
  if (onJson.length) form.setFields([{ name: 'json', errors: onJson }]);
  return left;
}

const dayAfter = (d: string) => dayjs(d).add(1, 'day');

/**
 * 新建规则 (rule null) or 新版本 of a rule: the conditions and tiers as rows of a form (the previous version's
 * prefilled), or as JSON for a shape the rows don't hold. The server validates; its Chinese messages stand
 * beside the fields and rows they name.
 */
export function RuleForm({ open, rule, onClose, onSaved }: { open: boolean; rule: Rule | null; onClose: () => void; onSaved: (ruleId: string) => void }) {
  const { me } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const latest: Version | undefined = rule?.versions[0];
  const startRows = latest ? toRows(latest.data) : NEW_RULE;
  const [json, setJson] = useState(false);
  const left = useRef<string[]>([]);

  function initialValues(): Partial<Values> {
    setJson(!startRows);
    // A new version starts after the latest one (the server's rule); today when that is later.
    const today = chinaToday();
    const from = latest ? (dayAfter(latest.effectiveFrom).isAfter(today) ? dayAfter(latest.effectiveFrom) : today) : today.startOf('year');
    return { ...(startRows ?? { combine: 'all', conditions: [], tiers: [] }), effectiveFrom: from, json: latest ? JSON.stringify(latest.data, null, 2) : undefined, subsidyType: undefined };
  }

  function switchMode() {
    if (!json) {
      form.setFieldValue('json', JSON.stringify(fromRows(form.getFieldsValue(true) as Values), null, 2));
      setJson(true);
      return;
    }
    let rows: RuleRows | null;
    try {
      rows = toRows(JSON.parse(String(form.getFieldValue('json') ?? '')) as RuleData);
    } catch {
      rows = null;
    }
    if (!rows) return void message.warning('此规则的结构（如“不满足”或嵌套的“任一满足”）只能按 JSON 编辑');
    form.setFieldsValue(rows);
    setJson(false);
  }

  async function submit(v: Values) {
    let data: unknown;
    if (json) {
      try {
        data = JSON.parse(v.json ?? '');
      } catch (e) {
        throw new ApiError(400, 'VALIDATION_FAILED', 'JSON 格式有误', { json: `不是有效的 JSON：${(e as Error).message}` });
      }
    } else data = fromRows(v);
    const effectiveFrom = v.effectiveFrom?.format('YYYY-MM-DD');
    if (rule) {
      const made = await api.post<Version>(`/subsidies/rules/${rule.id}/versions`, { effectiveFrom, data });
      message.success(`已写入第 ${made.version} 版，自 ${made.effectiveFrom} 起生效`);
      onSaved(rule.id);
    } else {
      const made = await api.post<{ id: string }>('/subsidies/rules', { subsidyType: v.subsidyType, regionCode: v.regionCode ?? me?.region?.code, name: v.name?.trim(), effectiveFrom, data });
      message.success('已新建规则（第 1 版）');
      onSaved(made.id);
    }
  }

  return (
    <FormModal<Values>
      open={open}
      title={rule ? `新版本：${rule.name}（现为第 ${latest?.version ?? 0} 版）` : '新建补贴规则'}
      okText={rule ? '写入新版本' : '新建规则'}
      form={form}
      fields={FIELDS}
      onSubmit={submit}
      onCancel={onClose}
      initialValues={initialValues}
      resetKey={rule?.id ?? 'new'}
      onFailed={(err) => (left.current = placeRuleErrors(form, err, json))}
      failure={(err) => {
        if (!(err instanceof ApiError) || !Object.keys(err.fields).length) return null;
        const others = Object.entries(err.fields).filter(([k]) => !k.startsWith('data') && !(FIELDS as readonly string[]).includes(k.replace(/^query\./, '')));
        return [...others.map(([, m]) => m), ...left.current].join('；') || '请按红字提示修改后再提交';
      }}
      fallback="保存失败"
      errorTestId="rule-form-error"
      width={880}
      formClassName="rule-form"
      notes={
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {rule ? (
            <>
              {SUBSIDY_TYPE_LABELS[rule.subsidyType] ?? rule.subsidyType}，<RegionName code={rule.regionCode} /> 制定。新版本自生效日起适用，上一版本到前一天止；已作出的筛查、批次和发放仍按原版本。
            </>
          ) : (
            '规则按版本保存：以后修改写入新版本，已作出的筛查、批次和发放仍按原版本。'
          )}
        </Typography.Paragraph>
      }
    >
      {rule ? null : (
        <Space wrap align="start">
          <Form.Item label="规则名称" name="name" rules={[{ required: true, message: '请填写规则名称' }]}>
            <Input className="rule-name-input" style={{ width: 280 }} maxLength={100} placeholder="如：脱贫劳动力一次性求职补贴" />
          </Form.Item>
          <Form.Item label="补贴项目" name="subsidyType" rules={[{ required: true, message: '请选择补贴项目' }]}>
            <Select className="rule-type" style={{ width: 200 }} options={SUBSIDY_TYPES.map((t) => ({ value: t.code, label: t.label }))} />
          </Form.Item>
          <AreaField label="制定区域" width={220} />
        </Space>
      )}
      <Space align="end" wrap>
        <Form.Item label="生效日期" name="effectiveFrom" rules={[{ required: true, message: '请选择生效日期' }]}>
          <DatePicker className="rule-effective-from" allowClear={false} />
        </Form.Item>
        <Form.Item>
          <Button onClick={switchMode} className="rule-mode-switch">
            {json ? '按表单编辑' : '按 JSON 编辑'}
          </Button>
        </Form.Item>
      </Space>
      {json ? (
        <Form.Item label="规则内容（JSON：conditions 与 tiers，金额单位为分）" name="json" rules={[{ required: true, message: '请填写规则内容' }]}>
          <Input.TextArea className="rule-json" rows={14} style={{ fontFamily: 'monospace', fontSize: 12 }} />
        </Form.Item>
      ) : (
        <RowsEditor />
      )}
    </FormModal>
  );
}
