import { Card, Statistic, Typography } from 'antd';
import type { AreaTrainingOutcome } from '@jobbridge/shared';
import { useRegionAnswer } from '../api/use-region-answer';
import { formatPercent } from './labels';

/**
 * The dashboard's training card: 上岗率 of the region's people 90 days after completing a course (those who
 * completed in the year up to 90 days ago), from `GET /training/outcome`. Asked when the region changes, not on
 * the dashboard's 10 s refresh: it moves by the day.
 */
export function TrainingOutcomeCard({ region }: { region: string }) {
  const { answer: outcome, error } = useRegionAnswer<AreaTrainingOutcome>('/training/outcome', region);
  return (
    <Card size="small" title="培训后上岗率" data-testid="training-outcome">
      {error ? (
        <Typography.Text type="danger">{error}</Typography.Text>
      ) : outcome ? (
        <>
          <Statistic title={`结业 ${outcome.days} 天时在岗`} value={formatPercent(outcome.rate)} valueStyle={{ color: '#1d6fdc', fontSize: 22 }} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {outcome.due ? `${outcome.from} 至 ${outcome.to} 结业的 ${outcome.due} 人中 ${outcome.employed} 人` : `${outcome.from} 至 ${outcome.to} 没有结业学员`}
          </Typography.Text>
        </>
      ) : null}
    </Card>
  );
}
