import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, Typography } from 'antd';
import type { Page } from '@jobbridge/shared';

/**
 * Keyset paging of the console's tables: `cursors[i]` is the cursor that fetched page i (undefined for
 * the first), so 上一页 drops the last one and 下一页 adds the page's nextCursor.
 */
export function Pager({ cursors, nextCursor, onChange }: { cursors: (string | undefined)[]; nextCursor: string | null | undefined; onChange: (cursors: (string | undefined)[]) => void }) {
  return (
    <div className="pager">
      <Typography.Text type="secondary">第 {cursors.length} 页</Typography.Text>
      <Button disabled={cursors.length <= 1} onClick={() => onChange(cursors.slice(0, -1))}>
        上一页
      </Button>
      <Button disabled={!nextCursor} onClick={() => onChange([...cursors, nextCursor!])}>
        下一页
      </Button>
    </div>
  );
}

/**
 * A table's pages fetched by cursor: `fetchPage` (the caller's, memoised on its filters) is asked for the page
 * of the last cursor whenever it or the cursor changes; only the latest answer is shown (a slow earlier one is
 * dropped). `restart()` goes back to the first page (call it when a filter changes), `reload()` asks for the
 * shown page again (after an action on a row). A failed load shows the API's message and no rows; `onError`
 * also gets the error (e.g. to put its field messages beside a filter form). A `fetchPage` of null asks for
 * nothing yet (the page's filters are not known: a region still being looked up).
 */
export function useKeysetPages<T>(fetchPage: ((cursor: string | undefined) => Promise<Page<T>>) | null, onError?: (err: unknown) => void) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<Page<T> | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(0);
  const failed = useRef(onError);
  failed.current = onError;
  const cursor = cursors[cursors.length - 1];

  const reload = useCallback(async () => {
    if (!fetchPage) return;
    const n = ++asked.current;
    setLoading(true);
    setError(null);
    try {
      const p = await fetchPage(cursor);
      if (n === asked.current) setPage(p);
    } catch (err) {
      if (n !== asked.current) return;
      setPage(null);
      failed.current?.(err);
      setError(err instanceof Error && err.message ? err.message : '加载失败');
    } finally {
      if (n === asked.current) setLoading(false);
    }
  }, [fetchPage, cursor]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const restart = useCallback(() => setCursors([undefined]), []);
  const pager = <Pager cursors={cursors} nextCursor={page?.nextCursor} onChange={setCursors} />;
  return { page, loading, error, reload, restart, pager };
}
