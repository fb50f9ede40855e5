import { useState } from 'react';
import { Alert, Button, Card, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { SUBSIDY_TYPE_LABELS } from '@jobbridge/shared';
import { useSession } from '../../auth/session';
import { RegionName } from '../../components/RegionSelect';
import { managesArea, UPPER_AREA_HINT } from '../jobs/common';
import { RuleView, type Rule, type Version } from './common';
import { EvaluateModal } from './EvaluateModal';
import { RuleForm } from './RuleForm';
import { versionChanges } from './rule-form';

/** What a version changed from the one before: its dates, and the lines of the rule taken out and put in. */
function VersionChanges({ before, after }: { before: Version; after: Version }) {
  const changes = versionChanges(before.data, after.data);
  return (
    <div className="version-changes" data-testid={`version-changes-${after.version}`} style={{ fontSize: 12, lineHeight: 1.7, marginTop: 4, padding: '4px 8px', background: '#fafafa', borderRadius: 4 }}>
      <Typography.Text type="secondary">
        与第 {before.version} 版相比（第 {before.version} 版至 {before.effectiveTo ?? '—'} 止）：
      </Typography.Text>
      {changes.length === 0 ? <div>条件与金额未变</div> : null}
      {changes.map((c, i) => (
        <div key={i} className={c.kind === 'added' ? 'change-added' : 'change-removed'} style={{ color: c.kind === 'added' ? '#389e0d' : '#cf1322', textDecoration: c.kind === 'removed' ? 'line-through' : undefined }}>
          {c.kind === 'added' ? '＋ ' : '－ '}
          {c.text}
        </div>
      ))}
    </div>
  );
}

/** A rule's versions, newest first, each as a readable list and (from the second on) what it changed. */
function Versions({ rule }: { rule: Rule }) {
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {rule.versions.map((v, i) => (
        <div key={v.id}>
          <RuleView v={v} />
          {rule.versions[i + 1] ? <VersionChanges before={rule.versions[i + 1]} after={v} /> : null}
        </div>
      ))}
    </Space>
  );
}

/**
 * 补贴规则: the rules of the area and the areas above, each with its versions and what each changed; 新建规则
 * and 新版本 (the previous version's conditions prefilled) where the account manages the rule's area, and
 * 查一个人 on every rule it reads.
 */
export function RulesTab({ rules, error, onChanged }: { rules: Rule[] | null; error: string | null; onChanged: () => Promise<void> }) {
  const { can, me } = useSession();
  const [editing, setEditing] = useState<{ rule: Rule | null } | null>(null);
  const [checking, setChecking] = useState<Rule | null>(null);
  const [expanded, setExpanded] = useState<string[]>([]);
  const manage = can('subsidies.manage');

  return (
    <Card
      title="补贴规则"
      size="small"
      className="subsidy-rules"
      extra={
        manage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ rule: null })} data-testid="rule-create">
            新建规则
          </Button>
        ) : null
      }
    >
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
      <Table<Rule>
        rowKey="id"
        size="small"
        loading={rules === null && !error}
        dataSource={rules ?? []}
        pagination={false}
        expandable={{ expandedRowKeys: expanded, onExpandedRowsChange: (keys) => setExpanded(keys as string[]), expandedRowRender: (r) => <Versions rule={r} /> }}
        columns={[
          { title: '规则', dataIndex: 'name', render: (v: string) => <span className="rule-name">{v}</span> },
          { title: '补贴项目', dataIndex: 'subsidyType', render: (t: string) => SUBSIDY_TYPE_LABELS[t] ?? t },
          { title: '制定区域', dataIndex: 'regionCode', render: (c: string) => <RegionName code={c} /> },
          { title: '版本', render: (_, r) => (r.versions[0] ? `第 ${r.versions[0].version} 版（${r.versions[0].effectiveFrom} 起），共 ${r.versions.length} 版` : '—') },
          {
            title: '',
            width: 230,
            render: (_, r) => (
              <Space size={4}>
                <Button size="small" onClick={() => setChecking(r)} className="rule-evaluate">
                  查一个人
                </Button>
                {manage && managesArea(me, r.regionCode) ? (
                  <Button size="small" onClick={() => setEditing({ rule: r })} className="rule-new-version">
                    新版本
                  </Button>
                ) : manage ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {UPPER_AREA_HINT}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <RuleForm
        open={!!editing}
        rule={editing?.rule ?? null}
        onClose={() => setEditing(null)}
        onSaved={(id) => {
          setEditing(null);
          void onChanged().then(() => setExpanded((e) => (e.includes(id) ? e : [...e, id])));
        }}
      />
      <EvaluateModal rule={checking} onClose={() => setChecking(null)} />
    </Card>
  );
}
