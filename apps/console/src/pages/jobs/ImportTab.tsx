import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, App, Button, Card, Form, Result, Space, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { errorOf, fetchWithSession, upload, uploadError, withQuery } from '../../api/client';
import { useSession } from '../../auth/session';
import { fileNameOf, saveFile, TransferProgress } from '../../components/ExportButton';
import { RegionSelect } from '../../components/RegionSelect';
import { messageOf } from './common';

interface Problem {
  row: number;
  column: string;
  reason: string;
}
/** 422 IMPORT_INVALID: nothing was written; the report lists every problem. */
interface Report {
  total: number;
  valid: number;
  errorCount: number;
  errors: Problem[];
}
/** 200: what was written (with acceptValid, the problems of the rows left out). */
interface Imported {
  imported: number;
  employersCreated: number;
  errorCount: number;
  errors: Problem[];
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Saves a file the API answers with (the template), under the name it gives. */
async function download(path: string, fallbackName: string): Promise<void> {
  const res = await fetchWithSession('GET', path);
  if (!res.ok) throw await errorOf(res);
  saveFile(await res.blob(), fileNameOf(res.headers.get('content-disposition'), fallbackName));
}

export function ProblemTable({ problems, testId }: { problems: Problem[]; testId: string }) {
  return (
    <Table<Problem>
      data-testid={testId}
      rowKey={(p) => `${p.row}:${p.column}:${p.reason}`}
      size="small"
      pagination={problems.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
      dataSource={problems}
      columns={[
        { title: '行号', dataIndex: 'row', width: 70 },
        { title: '列', dataIndex: 'column', width: 200, render: (c: string) => c || '—' },
        { title: '原因', dataIndex: 'reason' },
      ]}
    />
  );
}

/**
 * The xlsx import of postings (POST /postings/import): the template, the file sent with a progress bar,
 * the API's report of every bad row (row, column, reason; nothing is written while the file has
 * problems), and then "import the valid rows" (the same file again with acceptValid=true).
 */
export function ImportTab() {
  const { me } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ regionCode: string }>();
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState<{ sent: number; total: number } | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [imported, setImported] = useState<Imported | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function reset(next: File | null) {
    setFile(next);
    setReport(null);
    setImported(null);
    setError(null);
    setSent(null);
  }

  async function send(acceptValid: boolean) {
    if (!file) return;
    const { regionCode } = await form.validateFields();
    setBusy(true);
    setError(null);
    setSent({ sent: 0, total: file.size });
    try {
      const blob = file.type ? file : new Blob([file], { type: XLSX_TYPE });
      const answer = await upload(withQuery('/postings/import', { regionCode, acceptValid }), blob, (s, total) => setSent({ sent: s, total }));
      if (answer.status === 200) {
        setImported(answer.body as Imported);
        setReport(null);
      } else if (answer.status === 422 && (answer.body as { report?: Report })?.report) {
        setReport((answer.body as { report: Report }).report);
        setError(uploadError(answer).message);
      } else {
        const err = uploadError(answer);
        const regionProblem = err.fields['query.regionCode'];
        if (regionProblem) form.setFields([{ name: 'regionCode', errors: [regionProblem] }]);
        setError(err.message);
      }
    } catch (err) {
      setError(messageOf(err, '上传失败'));
    } finally {
      setBusy(false);
      setSent(null);
    }
  }

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small" title="1. 下载模板，按模板填写岗位">
        <Space>
          <Button
            icon={<DownloadOutlined />}
            onClick={() => void download('/postings/import-template', '岗位导入模板.xlsx').then(() => message.success('已下载导入模板'), (err) => message.error(messageOf(err, '下载失败')))}
          >
            下载导入模板
          </Button>
          <Typography.Text type="secondary">黄色表头为必填列，每列的批注说明填写要求；“代码表”工作表列出工种、学历、残疾类别。</Typography.Text>
        </Space>
      </Card>
      <Card size="small" title="2. 选择管理区域并上传文件">
        <Form form={form} layout="inline" initialValues={{ regionCode: me?.region?.code }} key={me?.region?.code ?? 'all'}>
          <Form.Item name="regionCode" label="导入到的管理区域" rules={[{ required: true, message: '请选择管理区域' }]} extra="单位按名称在该区域内匹配，没有的将新建">
            <RegionSelect style={{ width: 320 }} />
          </Form.Item>
        </Form>
        <Upload.Dragger
          style={{ marginTop: 12 }}
          accept=".xlsx"
          maxCount={1}
          beforeUpload={(f) => {
            reset(f);
            return false;
          }}
          onRemove={() => reset(null)}
          fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">点击或拖入 Excel 文件（.xlsx，最大 5 MB）</p>
        </Upload.Dragger>
        <Space style={{ marginTop: 12 }}>
          <Button type="primary" disabled={!file || busy} loading={busy && !report} onClick={() => void send(false)}>
            检查并导入
          </Button>
          <Typography.Text type="secondary">有任何错误时不导入，先列出错误</Typography.Text>
        </Space>
        {sent && (
          <div style={{ marginTop: 12 }}>
            <TransferProgress testId="upload-progress" done={sent.sent} total={sent.total} before="已上传 " after={sent.total && sent.sent >= sent.total ? '，服务器正在逐行检查…' : ''} />
          </div>
        )}
      </Card>
      {error && <Alert type="error" showIcon message={error} data-testid="import-error" />}
      {report && (
        <Card size="small" title="3. 错误清单" data-testid="import-report">
          <Typography.Paragraph>
            共 {report.total} 行，无误 {report.valid} 行，{report.errorCount} 处错误
            {report.errorCount > report.errors.length ? `（列出前 ${report.errors.length} 处）` : ''}。未导入任何数据。
          </Typography.Paragraph>
          <ProblemTable problems={report.errors} testId="import-problems" />
          <Space style={{ marginTop: 12 }}>
            <Button type="primary" disabled={report.valid === 0 || busy} loading={busy} onClick={() => void send(true)}>
              只导入无误的 {report.valid} 行
            </Button>
            <Typography.Text type="secondary">或修改文件后重新上传</Typography.Text>
          </Space>
        </Card>
      )}
      {imported && (
        <Card size="small" data-testid="import-result">
          <Result
            status="success"
            title={`已导入 ${imported.imported} 个岗位`}
            subTitle={`新建单位 ${imported.employersCreated} 家${imported.errorCount ? `；${imported.errorCount} 处错误所在的行未导入` : ''}。岗位即日起招聘，系统正在为求职者匹配。`}
            extra={
              <Button type="primary" onClick={() => navigate('/jobs/postings')}>
                查看岗位
              </Button>
            }
          />
          {imported.errors.length > 0 && <ProblemTable problems={imported.errors} testId="import-skipped" />}
        </Card>
      )}
    </Space>
  );
}
