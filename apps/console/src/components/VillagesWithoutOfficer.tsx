import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Space, Tag, Typography } from 'antd';
import { api } from '../api/client';

interface Village {
  code: string;
  name: string;
  townshipCode: string | null;
  townshipName: string | null;
}

interface Answer {
  items: Village[];
  total: number;
  villages: number;
  nextCursor: string | null;
}

const PAGE_SIZE = 60;

/**
 * 无信息员的村: the villages of the account's area with no active village officer account
 * (GET /accounts/villages-without-officer, the dashboard's 无信息员村), grouped by township; more on demand.
 */
export function VillagesWithoutOfficer({ refreshKey }: { refreshKey?: unknown }) {
  const [items, setItems] = useState<Village[]>([]);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (cursor?: string) => {
    setError(null);
    try {
      const a = await api.get<Answer>('/accounts/villages-without-officer', { cursor, limit: PAGE_SIZE });
      setAnswer(a);
      setItems((old) => (cursor ? [...old, ...a.items] : a.items));
    } catch (err) {
      setError(err instanceof Error ? err.message : '加载失败');
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  const byTownship = new Map<string, Village[]>();
  for (const v of items) {
    const k = v.townshipName ?? '';
    byTownship.set(k, [...(byTownship.get(k) ?? []), v]);
  }

  return (
    <Card
      size="small"
      style={{ marginTop: 12 }}
      title="无信息员的村"
      extra={answer ? <Typography.Text data-testid="villages-without-officer-count">{`共 ${answer.villages} 个村，其中 ${answer.total} 个没有在用的村级信息员账号`}</Typography.Text> : null}
      data-testid="villages-without-officer"
    >
      {error && <Alert type="error" showIcon message={error} />}
      {answer && answer.total === 0 && <Typography.Text type="secondary">每个村都有在用的信息员账号。</Typography.Text>}
      <Space direction="vertical" size={6} style={{ width: '100%' }}>
        {[...byTownship].map(([township, villages]) => (
          <div key={township}>
            {township && <Typography.Text strong style={{ marginRight: 8 }}>{township}</Typography.Text>}
            {villages.map((v) => (
              <Tag key={v.code} title={v.code} style={{ marginBottom: 4 }}>
                {v.name}
              </Tag>
            ))}
          </div>
        ))}
      </Space>
      {answer?.nextCursor && (
        <Button size="small" style={{ marginTop: 8 }} onClick={() => void load(answer.nextCursor!)}>
          显示更多
        </Button>
      )}
    </Card>
  );
}
