import { Card, Col, Row, Statistic, Typography } from 'antd';
import type { RightsOverdueByArea } from '@jobbridge/shared';
import { useRegionAnswer } from '../api/use-region-answer';

/**
 * The dashboard's labor-rights card: the region's open cases, how many are past their legal due date and how many
 * fall due within 14 days, and the areas below with cases past due, from `GET /rights/overdue`. Asked when the
 * region changes, not on the dashboard's 10 s refresh: due dates move by the day.
 */
export function RightsOverdueCard({ region }: { region: string }) {
  const { answer: view, error } = useRegionAnswer<RightsOverdueByArea>('/rights/overdue', region);
  const sum = (k: 'open' | 'overdue' | 'dueSoon') => (view ? view.items.reduce((n, i) => n + i[k], 0) : 0);
  const late = view ? view.items.filter((i) => i.overdue > 0).sort((a, b) => b.overdue - a.overdue) : [];
  return (
    <Card size="small" title="维权案件时限" data-testid="rights-overdue">
      {error ? (
        <Typography.Text type="danger">{error}</Typography.Text>
      ) : view ? (
        <>
          <Row gutter={8}>
            <Col span={8}>
              <Statistic title="未办结" value={sum('open')} valueStyle={{ fontSize: 22 }} />
            </Col>
            <Col span={8}>
              <Statistic title="已逾期" value={sum('overdue')} valueStyle={{ fontSize: 22, color: sum('overdue') ? '#cf1322' : undefined }} />
            </Col>
            <Col span={8}>
              <Statistic title="14 天内到期" value={sum('dueSoon')} valueStyle={{ fontSize: 22 }} />
            </Col>
          </Row>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {late.length ? `逾期：${late.slice(0, 3).map((i) => `${i.regionName ?? i.regionCode} ${i.overdue} 件`).join('，')}${late.length > 3 ? ' 等' : ''}` : '没有逾期的案件'}
          </Typography.Text>
        </>
      ) : null}
    </Card>
  );
}
