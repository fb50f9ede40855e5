import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Card, Col, Row, Statistic, Typography } from 'antd';
import { api } from '../api/client';
import { useSession } from '../auth/session';

interface ListSummary {
  key: string;
  title: string;
  count: number;
}

/** The landing page until the dashboard lands: the six lists of the account's area with their counts. */
export default function HomePage() {
  const { me, can } = useSession();
  const [lists, setLists] = useState<ListSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!can('lists.read')) return;
    api.get<{ items: ListSummary[] }>('/lists').then(
      (r) => setLists(r.items),
      (e: Error) => setError(e.message),
    );
  }, [can]);

  return (
    <>
      <Typography.Title level={3}>{me?.region ? `${me.region.name}（${me.region.code}）` : '全国'}</Typography.Title>
      {error && <Alert type="error" showIcon message={error} />}
      {lists && (
        <Row gutter={[16, 16]}>
          {lists.map((l) => (
            <Col span={8} key={l.key}>
              <Link to={`/lists/${l.key}`}>
                <Card hoverable>
                  <Statistic title={l.title} value={l.count} suffix="人" />
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
      )}
    </>
  );
}
