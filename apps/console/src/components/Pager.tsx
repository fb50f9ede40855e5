import { Button, Typography } from 'antd';

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
