import { useState } from 'react';
import { App, Button, Modal, Progress, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { errorOf, fetchWithSession } from '../api/client';

/** The file name of a Content-Disposition header (its UTF-8 form when there is one). */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const utf8 = disposition?.match(/filename\*=UTF-8''([^;]+)/i);
  if (utf8) return decodeURIComponent(utf8[1]);
  const plain = disposition?.match(/filename="([^"]+)"/i);
  return plain ? plain[1] : fallback;
}

/** Hands `blob` to the browser to save as `name` (a file the API answered with). */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A transfer under way: the bar (its percent when the total is known, else running without a figure) and the
 * kilobytes moved, with `before` and `after` around them. The export's download and the import's upload show it.
 */
export function TransferProgress({ done, total, before = '', after = '', testId }: { done: number; total: number | null; before?: string; after?: string; testId: string }) {
  const percent = total ? Math.round((done / total) * 100) : null;
  return (
    <div data-testid={testId}>
      <Progress percent={percent ?? 99} status="active" showInfo={percent !== null} />
      <Typography.Text type="secondary">
        {before}
        {(done / 1024).toFixed(1)}
        {total ? ` / ${(total / 1024).toFixed(1)}` : ''} KB{after}
      </Typography.Text>
    </div>
  );
}

interface ProgressState {
  received: number;
  total: number | null;
  rows: number | null;
}

/**
 * Downloads an xlsx the API streams (an audited export), showing how much arrived: the rows it holds
 * come first (X-Row-Count), the bytes as they come, then the browser saves the file. With `body` the
 * export is a POST carrying it (an unmasked export's reason travels in the body, never in a URL).
 */
export function ExportButton({ path, fallbackName, body, label = '导出 Excel', onDone }: { path: string; fallbackName: string; body?: unknown; label?: string; onDone?: () => void }) {
  const { message } = App.useApp();
  const [progress, setProgress] = useState<ProgressState | null>(null);

  async function download() {
    setProgress({ received: 0, total: null, rows: null });
    try {
      const res = await fetchWithSession(body === undefined ? 'GET' : 'POST', path, body);
      if (!res.ok) throw await errorOf(res);
      const total = Number(res.headers.get('content-length')) || null;
      const rows = res.headers.has('x-row-count') ? Number(res.headers.get('x-row-count')) : null;
      const reader = res.body!.getReader();
      const chunks: Uint8Array[] = [];
      let received = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.length;
        setProgress({ received, total, rows });
      }
      saveFile(new Blob(chunks as BlobPart[], { type: res.headers.get('content-type') ?? 'application/octet-stream' }), fileNameOf(res.headers.get('content-disposition'), fallbackName));
      message.success(`已导出 ${rows ?? ''} 行`);
      onDone?.();
    } catch (err) {
      message.error(err instanceof Error ? err.message : '导出失败');
    } finally {
      setProgress(null);
    }
  }

  const p = progress;
  return (
    <>
      <Button icon={<DownloadOutlined />} onClick={() => void download()} loading={!!p}>
        {label}
      </Button>
      <Modal open={!!p} closable={false} footer={null} title="正在导出" maskClosable={false}>
        {p && <TransferProgress testId="export-progress" done={p.received} total={p.total} before={`${p.rows !== null ? `共 ${p.rows} 行，` : ''}已接收 `} />}
      </Modal>
    </>
  );
}
