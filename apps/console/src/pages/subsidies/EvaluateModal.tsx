import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { CONDITION_OP_LABELS, HOUSEHOLD_FIELD_LABELS, LABORER_FIELD_LABELS, SUBSIDY_FACTS, chinaDate, factValueText, type FactDef, type RuleCheck } from '@jobbridge/shared';
import { api } from '../../api/client';
import { applyFieldErrors, unplacedText } from '../../components/fieldErrors';
import { LaborerDrawer } from '../../components/LaborerDrawer';
import { LaborerSearch, type FoundLaborer } from '../../components/LaborerSearch';
import { messageOf } from '../jobs/common';
import { money, type Rule } from './common';

interface Outcome {
  eligible: boolean;
  checks: RuleCheck[];
  tierLabel: string | null;
  amountFen: number | null;
  version: number;
  asOf: string;
}

const facts = SUBSIDY_FACTS as Record<string, FactDef>;
const fieldLabels: Record<string, Record<string, string>> = { laborer: LABORER_FIELD_LABELS, household: HOUSEHOLD_FIELD_LABELS };

/** Where in the rule a check sits: 符合条件, or 档次 2 的适用条件. */
const whereOf = (path: string) => (path.startsWith('tiers[') ? `档次 ${Number(/^tiers\[(\d+)\]/.exec(path)?.[1] ?? 0) + 1} 的适用条件` : '符合条件');

/** The record a value was read from: 劳动力记录（第 3 版）：就业状态、就业开始日期. */
export function sourceText(c: RuleCheck): string {
  const labels = fieldLabels[c.source.record] ?? {};
  return `${c.source.record === 'household' ? '户记录' : '劳动力记录'}（第 ${c.source.version} 版）：${c.source.fields.map((f) => labels[f] ?? f).join('、')}`;
}

/**
 * 查一个人: a laborer of the area (found by name, or by the full ID number) against the rule for a period:
 * eligible or not, the amount, and each condition with the value read and the record it came from. Each
 * check is an audited read of the person on the server.
 */
export function EvaluateModal({ rule, onClose }: { rule: Rule | null; onClose: () => void }) {
  const [form] = Form.useForm<{ laborerId: string; period: string }>();
  const [options, setOptions] = useState<FoundLaborer[]>([]);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [record, setRecord] = useState<string | null>(null);

  async function check(v: { laborerId: string; period: string }) {
    if (!rule) return;
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      setOutcome(await api.get<Outcome>(`/subsidies/rules/${rule.id}/evaluate`, { laborerId: v.laborerId, period: v.period.trim() }));
    } catch (err) {
      const rest = applyFieldErrors(form, err, ['laborerId', 'period']);
      setError(unplacedText(err, rest) ?? (Object.keys((err as { fields?: object }).fields ?? {}).length ? null : messageOf(err, '核对失败')));
    } finally {
      setBusy(false);
    }
  }

  const person = options.find((o) => o.id === form.getFieldValue('laborerId'));
  return (
    <Modal
      title={rule ? `查一个人：${rule.name}` : ''}
      open={!!rule}
      onCancel={onClose}
      footer={null}
      width={980}
      destroyOnHidden
      afterOpenChange={(o) => !o && (setOutcome(null), setError(null), setOptions([]))}
    >
      <Form form={form} layout="inline" onFinish={(v) => void check(v)} initialValues={{ period: chinaDate(new Date()).slice(0, 4) }} className="evaluate-form">
        <Form.Item name="laborerId" label="劳动力" rules={[{ required: true, message: '请输入姓名查找并选择' }]}>
          <LaborerSearch className="evaluate-person" onFound={setOptions} onError={(err) => setError(messageOf(err, '查找失败'))} onChange={() => setOutcome(null)} />
        </Form.Item>
        <Form.Item name="period" label="期间" rules={[{ required: true, message: '请填写期间' }]}>
          <Input className="evaluate-period" style={{ width: 110 }} placeholder="2026" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="evaluate-submit">
            核对
          </Button>
        </Form.Item>
      </Form>
      {error ? <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} className="evaluate-error" /> : null}
      {outcome ? (
        <div className="evaluate-outcome" style={{ marginTop: 16 }}>
          <Space wrap style={{ marginBottom: 8 }}>
            {outcome.eligible ? (
              <Tag color="green" className="evaluate-verdict">
                符合
              </Tag>
            ) : (
              <Tag color="red" className="evaluate-verdict">
                不符合
              </Tag>
            )}
            <Typography.Text>
              {person?.name ?? ''}
              {outcome.eligible && outcome.amountFen !== null ? `：${outcome.tierLabel}，${money(outcome.amountFen)}` : ''}
            </Typography.Text>
            <Typography.Text type="secondary">
              按第 {outcome.version} 版规则、截至 {outcome.asOf} 的记录核对
            </Typography.Text>
            {person ? (
              <Button size="small" type="link" onClick={() => setRecord(person.id)}>
                查看此人记录
              </Button>
            ) : null}
          </Space>
          <Table<RuleCheck>
            className="evaluate-checks"
            rowKey="path"
            size="small"
            pagination={false}
            dataSource={outcome.checks}
            columns={[
              { title: '', width: 36, render: (_, c) => <Typography.Text type={c.passed ? 'success' : 'danger'}>{c.passed ? '✓' : '✗'}</Typography.Text> },
              { title: '规则', width: 150, render: (_, c) => whereOf(c.path) },
              { title: '要求', render: (_, c) => `${facts[c.field]?.label ?? c.field} ${CONDITION_OP_LABELS[c.op]} ${factValueText(c.field, c.expected)}` },
              { title: '此人', width: 120, render: (_, c) => factValueText(c.field, c.value) },
              { title: '结果', width: 80, render: (_, c) => (c.passed ? '符合' : '不符合') },
              { title: '来自', render: (_, c) => <span className="evaluate-source">{sourceText(c)}</span> },
            ]}
          />
        </div>
      ) : null}
      <LaborerDrawer id={record} onClose={() => setRecord(null)} />
    </Modal>
  );
}
