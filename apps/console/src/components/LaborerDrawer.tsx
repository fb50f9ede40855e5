import { useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, Modal, Space, Spin, Tag, Typography } from 'antd';
import { api } from '../api/client';
import { useSession } from '../auth/session';
import { applyFieldErrors, placedOnFields } from './fieldErrors';
import { LaborerServices } from './LaborerServices';
import { formatTime, L, label, labelsOf } from '../pages/labels';

interface Laborer {
  id: string;
  name: string;
  idNumberMasked: string;
  age: number;
  sex: string;
  phone: string | null;
  regionCode: string;
  relationToHead: string | null;
  education: string;
  health: string;
  disabilityType: string | null;
  disabilityGrade: number | null;
  skills: string[];
  certificates: string[];
  isHardToEmploy: boolean;
  employmentStatus: string;
  employer: string | null;
  workPlace: string | null;
  employedSince: string | null;
  monthlyIncome: number | null;
  migrationStatus: string;
  awayPlace: string | null;
  awaySince: string | null;
  returnedAt: string | null;
  returnReason: string | null;
  serviceNeeds: string[];
  wantedJobCategories: string[];
  workScopes: string[];
  preferredPlaces: string[];
  minMonthlyWage: number | null;
  needsBoardLodging: boolean;
  trainingWanted: string[];
  updatedAt: string;
}

/**
 * One person's record (GET /laborers/:id: each opening is an audited read; the ID number masked). A role
 * that may reveal it (idNumber.reveal) gets 显示完整身份证号, which asks why and sends the reason with the reveal.
 */
export function LaborerDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { can } = useSession();
  const [laborer, setLaborer] = useState<Laborer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [revealed, setRevealed] = useState<string | null>(null);

  useEffect(() => {
    setLaborer(null);
    setError(null);
    setRevealed(null);
    setAsking(false);
    if (!id) return;
    let live = true;
    api.get<Laborer>(`/laborers/${id}`).then(
      (l) => live && setLaborer(l),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [id]);

  const l = laborer;
  return (
    <Drawer open={!!id} onClose={onClose} width={640} title={l ? `${l.name} 的信息` : '劳动力信息'} destroyOnHidden>
      {error && <Alert type="error" showIcon message={error} />}
      {!l && !error && <Spin />}
      {l && (
        <>
          <Alert className="form-alert" type="info" showIcon message={revealed ? '本次查看与显示完整身份证号（含理由）均已记入审计日志。' : '本次查看已记入审计日志；身份证号已脱敏。'} />
          <Descriptions column={2} size="small" bordered data-testid="laborer-record">
            <Descriptions.Item label="姓名">{l.name}</Descriptions.Item>
            <Descriptions.Item label="身份证号" span={2}>
              <Space size={8} wrap>
                <Typography.Text data-testid="id-number" copyable={revealed ? { text: revealed } : false}>
                  {revealed ?? l.idNumberMasked}
                </Typography.Text>
                {!revealed && can('idNumber.reveal') && (
                  <Button size="small" onClick={() => setAsking(true)}>
                    显示完整身份证号
                  </Button>
                )}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label="性别">{label(L.sex, l.sex)}</Descriptions.Item>
            <Descriptions.Item label="年龄">{l.age} 岁</Descriptions.Item>
            <Descriptions.Item label="手机号">{l.phone ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="与户主关系">{label(L.relation, l.relationToHead)}</Descriptions.Item>
            <Descriptions.Item label="文化程度">{label(L.education, l.education)}</Descriptions.Item>
            <Descriptions.Item label="健康状况">{label(L.health, l.health)}</Descriptions.Item>
            <Descriptions.Item label="残疾">{l.disabilityType ? `${label(L.disability, l.disabilityType)}${l.disabilityGrade ? ` ${l.disabilityGrade} 级` : ''}` : '无'}</Descriptions.Item>
            <Descriptions.Item label="就业困难">{l.isHardToEmploy ? <Tag color="orange">是</Tag> : '否'}</Descriptions.Item>
            <Descriptions.Item label="技能" span={2}>{l.skills.length ? l.skills.join('、') : '—'}</Descriptions.Item>
            <Descriptions.Item label="证书" span={2}>{l.certificates.length ? l.certificates.join('、') : '—'}</Descriptions.Item>
            <Descriptions.Item label="就业状态">{label(L.employment, l.employmentStatus)}</Descriptions.Item>
            <Descriptions.Item label="月收入">{l.monthlyIncome !== null ? `${l.monthlyIncome} 元` : '—'}</Descriptions.Item>
            <Descriptions.Item label="工作单位">{l.employer ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="工作地点">{l.workPlace ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="外出动态">{label(L.migration, l.migrationStatus)}</Descriptions.Item>
            <Descriptions.Item label="外出地点">{l.awayPlace ?? '—'}</Descriptions.Item>
            {l.returnedAt && <Descriptions.Item label="返乡时间">{l.returnedAt}</Descriptions.Item>}
            {l.returnedAt && <Descriptions.Item label="返乡原因">{label(L.returnReason, l.returnReason)}</Descriptions.Item>}
            <Descriptions.Item label="服务需求" span={2}>{labelsOf(L.need, l.serviceNeeds)}</Descriptions.Item>
            <Descriptions.Item label="意向工种" span={2}>{labelsOf(L.job, l.wantedJobCategories)}</Descriptions.Item>
            <Descriptions.Item label="就业范围">{labelsOf(L.scope, l.workScopes)}</Descriptions.Item>
            <Descriptions.Item label="意向地点">{l.preferredPlaces.length ? l.preferredPlaces.join('、') : '—'}</Descriptions.Item>
            <Descriptions.Item label="最低月薪">{l.minMonthlyWage !== null ? `${l.minMonthlyWage} 元` : '—'}</Descriptions.Item>
            <Descriptions.Item label="需包食宿">{l.needsBoardLodging ? '是' : '否'}</Descriptions.Item>
            <Descriptions.Item label="培训意愿" span={2}>{labelsOf(L.training, l.trainingWanted)}</Descriptions.Item>
            <Descriptions.Item label="更新时间" span={2}>{formatTime(l.updatedAt)}</Descriptions.Item>
          </Descriptions>
          {can('workerLinks.manage') && <BindingCodeButton laborerId={l.id} name={l.name} />}
          {can('services.read') && <LaborerServices laborerId={l.id} name={l.name} />}
        </>
      )}
      {l && (
        <RevealModal
          open={asking}
          laborerId={l.id}
          name={l.name}
          onClose={(idNumber) => {
            setAsking(false);
            if (idNumber) setRevealed(idNumber);
          }}
        />
      )}
    </Drawer>
  );
}

/**
 * 生成绑定码 (POST /laborers/:id/binding-codes) for a person at the desk, to read out to them: they enter it in the
 * mini-program with the last four digits of their ID number. A new code voids the unused one before it.
 */
function BindingCodeButton({ laborerId, name }: { laborerId: string; name: string }) {
  const { message, modal } = App.useApp();
  const [busy, setBusy] = useState(false);
  async function create() {
    setBusy(true);
    try {
      const { code, expiresAt } = await api.post<{ code: string; expiresAt: string }>(`/laborers/${laborerId}/binding-codes`);
      modal.info({
        title: `${name} 的绑定码`,
        content: (
          <Space direction="vertical">
            <Typography.Text strong style={{ fontSize: 22, letterSpacing: 2 }} data-testid="binding-code">
              {code.replace(/(\d{4})(?=\d)/g, '$1 ')}
            </Typography.Text>
            <Typography.Text type="secondary">请当面念给本人，在就业桥小程序中输入（还需身份证号后四位）。{formatTime(expiresAt)} 前有效，只能用一次。</Typography.Text>
          </Space>
        ),
        okText: '知道了',
      });
    } catch (err) {
      message.error(err instanceof Error ? err.message : '生成失败');
    } finally {
      setBusy(false);
    }
  }
  return (
    <Space style={{ marginTop: 12 }}>
      <Button size="small" loading={busy} onClick={() => void create()}>
        生成绑定码
      </Button>
      <Typography.Text type="secondary">本人来办事时当面生成，用于在小程序中绑定本人信息</Typography.Text>
    </Space>
  );
}

/** Asks why the full number is needed; the API checks the reason (2-200 字) and keeps it in the reveal's audit event. */
function RevealModal({ open, laborerId, name, onClose }: { open: boolean; laborerId: string; name: string; onClose: (idNumber?: string) => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit({ reason }: { reason: string }) {
    setBusy(true);
    setError(null);
    try {
      const { idNumber } = await api.post<{ idNumber: string }>(`/laborers/${laborerId}/reveal-id-number`, { reason });
      form.resetFields();
      onClose(idNumber);
    } catch (err) {
      // The reason's message beside the field; any other refusal (area, role) above the form.
      applyFieldErrors(form, err, ['reason']);
      if (!placedOnFields(err, ['reason'])) setError(err instanceof Error ? err.message : '操作失败');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal open={open} title={`显示 ${name} 的完整身份证号`} onCancel={() => onClose()} onOk={() => form.submit()} okText="显示" cancelText="取消" confirmLoading={busy} destroyOnHidden>
      {error && <Alert className="form-alert" type="error" showIcon message={error} data-testid="reveal-error" />}
      <Typography.Paragraph type="secondary">完整身份证号仅在确有需要时查看。请写明理由，理由与本次查看一并记入审计日志。</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} preserve={false} requiredMark={false}>
        <Form.Item name="reason" label="查看理由">
          <Input.TextArea rows={3} maxLength={200} showCount placeholder="例如：办理一次性求职补贴，核对身份信息" data-testid="reveal-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
