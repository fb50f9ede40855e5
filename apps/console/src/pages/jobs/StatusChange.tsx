import { useEffect, useRef, useState } from 'react';
import { Alert, Descriptions, Modal, Spin, Typography } from 'antd';
import { POSTING_STATUS_LABELS, type PostingRecommendationCounts, type PostingStatusCode, type PostingView } from '@jobbridge/shared';
import { api } from '../../api/client';
import { messageOf } from './common';
import { counted, effectText } from './status-effect';

/** How long to wait between reads while the matching of the change is still queued or running. */
const POLL_MS = 1000;
/** Reads before the dialog stops waiting and says the matching is still running (about a minute). */
const MAX_POLLS = 60;

/**
 * A posting's status change, with its effect on recommendations: before confirming, how many of the
 * posting's recommendations (in the account's area) it affects, from GET /postings/:id/recommendation-counts;
 * after, the counts again once the background matching the change queued has run (matchingPending false).
 */
export function StatusChangeModal({ change, onClose }: { change: { posting: PostingView; to: PostingStatusCode } | null; onClose: (changed?: PostingView) => void }) {
  const [before, setBefore] = useState<PostingRecommendationCounts | null>(null);
  const [after, setAfter] = useState<PostingRecommendationCounts | null>(null);
  const [saved, setSaved] = useState<PostingView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [waitedOut, setWaitedOut] = useState(false);
  const live = useRef(0);

  useEffect(() => {
    const mine = ++live.current;
    setBefore(null);
    setAfter(null);
    setSaved(null);
    setError(null);
    setWaitedOut(false);
    if (!change) return;
    void api.get<PostingRecommendationCounts>(`/postings/${change.posting.id}/recommendation-counts`).then(
      (c) => mine === live.current && setBefore(c),
      (err) => mine === live.current && setError(messageOf(err, '读取推荐情况失败')),
    );
  }, [change]);

  async function confirm() {
    if (!change) return;
    const mine = live.current;
    setBusy(true);
    setError(null);
    try {
      const p = await api.patch<PostingView>(`/postings/${change.posting.id}`, { version: change.posting.version, status: change.to });
      if (mine !== live.current) return;
      setSaved(p);
      for (let i = 0; i < MAX_POLLS && mine === live.current; i++) {
        const c = await api.get<PostingRecommendationCounts>(`/postings/${p.id}/recommendation-counts`);
        if (mine !== live.current) return;
        setAfter(c);
        if (!c.matchingPending) return;
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      setWaitedOut(true);
    } catch (err) {
      if (mine === live.current) setError(messageOf(err, '操作失败'));
    } finally {
      if (mine === live.current) setBusy(false);
    }
  }

  const to = change?.to;
  const label = to ? POSTING_STATUS_LABELS[to] : '';
  const stopping = to !== undefined && to !== 'open';
  const done = saved && after && !after.matchingPending;
  return (
    <Modal
      open={!!change}
      title={change ? `将岗位“${change.posting.title}”改为${label}` : ''}
      okText={saved ? '完成' : `确定${label}`}
      cancelText="取消"
      okButtonProps={{ danger: stopping && !saved, disabled: !before && !error, loading: busy }}
      cancelButtonProps={{ style: saved ? { display: 'none' } : undefined }}
      onOk={() => (saved ? onClose(saved) : void confirm())}
      onCancel={() => onClose(saved ?? undefined)}
      maskClosable={false}
      destroyOnHidden
    >
      {error && <Alert className="form-alert" type="error" showIcon message={error} data-testid="status-error" />}
      {!before && !error && <Spin />}
      {before && (
        <div data-testid="status-effect-before">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="当前状态">{POSTING_STATUS_LABELS[before.postingStatus]}</Descriptions.Item>
            <Descriptions.Item label="本区域内的推荐">{counted(before)}</Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph style={{ marginTop: 12 }}>
            {stopping
              ? before.open > 0
                ? `${label}后，${before.open} 条尚未处理的推荐（已推荐、感兴趣）将被撤回，求职者不再看到此岗位；已报名、已上岗的不受影响。`
                : `${label}后，没有尚未处理的推荐会被撤回。`
              : '重新招聘后岗位重新发布，系统将为符合条件的求职者重新推荐此岗位。'}
          </Typography.Paragraph>
          {before.matchingPending && !saved && <Typography.Text type="secondary">匹配任务进行中，以上数字可能还会变化。</Typography.Text>}
        </div>
      )}
      {saved && (
        <div data-testid="status-effect-after" style={{ marginTop: 12 }}>
          {!done && !waitedOut && (
            <Alert type="info" showIcon message={`已改为${label}，正在更新推荐…`} icon={<Spin size="small" />} />
          )}
          {waitedOut && <Alert type="warning" showIcon message={`已改为${label}；推荐仍在更新中，请稍后查看。`} />}
          {done && before && (
            <Alert
              type="success"
              showIcon
              message={`已改为${label}`}
              description={
                <>
                  <div>{effectText(before, after)}</div>
                  <div>现在本区域内的推荐：{counted(after)}</div>
                </>
              }
            />
          )}
        </div>
      )}
    </Modal>
  );
}
