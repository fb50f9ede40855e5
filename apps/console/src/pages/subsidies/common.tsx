import { Form, Typography } from 'antd';
import { checkText, conditionLines, yuan, type Condition, type RuleCheck, type RuleData } from '@jobbridge/shared';
import { useSession } from '../../auth/session';
import { RegionCascader } from '../../components/RegionCascader';

export interface Version {
  id: string;
  version: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  data: RuleData;
  createdAt: string;
}
export interface Rule {
  id: string;
  subsidyType: string;
  regionCode: string;
  name: string;
  /** Newest first, as the API lists them. */
  versions: Version[];
}

export const money = (fen: number) => `${yuan(fen)} 元`;

/**
 * The area a rule, an eligibility run or an exclusion is for (`regionCode`, which the API requires): the
 * region cascade from the account's own area down, left empty for the account's own. An account with no area
 * of its own (a national admin, who starts at the provinces) has nothing to default to: the field asks for
 * an area, and the API's message for it (必填, or outside the rule's area) stands beside it.
 */
export function AreaField({ label, width, ownPlaceholder }: { label: string; width: number; ownPlaceholder?: string }) {
  const { me } = useSession();
  const own = me?.region ?? null;
  return (
    <Form.Item name="regionCode" label={label} required={!own} className="subsidy-area">
      <RegionCascader style={{ width }} placeholder={own ? (ownPlaceholder ?? own.name) : '请选择区域'} />
    </Form.Item>
  );
}

/** The why, one line per check: ✓ when it passed, ✗ when not, with the value read from the record. */
export function Why({ checks }: { checks: RuleCheck[] }) {
  return (
    <div className="subsidy-why" style={{ fontSize: 12, lineHeight: 1.6, minWidth: 280 }}>
      {checks.map((c) => (
        <div key={c.path} className={c.passed ? 'why-pass' : 'why-fail'}>
          <Typography.Text type={c.passed ? 'success' : 'danger'}>{c.passed ? '✓' : '✗'}</Typography.Text> {checkText(c)}
        </div>
      ))}
    </div>
  );
}

function ConditionList({ condition }: { condition: Condition }) {
  return (
    <>
      {conditionLines(condition).map((l, i) => (
        <div key={i} style={{ paddingLeft: l.depth * 18 }}>
          {l.depth > 0 ? '· ' : ''}
          {l.text}
        </div>
      ))}
    </>
  );
}

/** A rule version as a readable list: who qualifies, then each tier with its amount and when it applies. */
export function RuleView({ v }: { v: Version }) {
  return (
    <div className="rule-version" data-testid={`rule-version-${v.version}`}>
      <Typography.Text strong>
        第 {v.version} 版：{v.effectiveFrom} 起{v.effectiveTo ? `，至 ${v.effectiveTo}` : '，现行'}
      </Typography.Text>
      <div className="rule-conditions">
        <Typography.Text type="secondary">符合条件：</Typography.Text>
        <ConditionList condition={v.data.conditions} />
      </div>
      <div className="rule-tiers">
        <Typography.Text type="secondary">补贴档次（取第一个符合的）：</Typography.Text>
        {v.data.tiers.map((t, i) => (
          <div key={i} style={{ paddingLeft: 18 }}>
            {i + 1}. {t.label}：{money(t.amountFen)}
            {t.when ? (
              <div style={{ paddingLeft: 18 }}>
                <Typography.Text type="secondary">适用于：</Typography.Text>
                <ConditionList condition={t.when} />
              </div>
            ) : (
              '（所有符合条件者）'
            )}
          </div>
        ))}
      </div>
    </div>
  );
}
