import { useEffect, useState } from 'react';
import { Alert, Descriptions, Drawer, Spin, Tag } from 'antd';
import { api } from '../api/client';
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

/** One person's record (GET /laborers/:id: each opening is an audited read; the ID number stays masked). */
export function LaborerDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const [laborer, setLaborer] = useState<Laborer | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setLaborer(null);
    setError(null);
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
          <Alert className="form-alert" type="info" showIcon message="本次查看已记入审计日志；身份证号已脱敏。" />
          <Descriptions column={2} size="small" bordered data-testid="laborer-record">
            <Descriptions.Item label="姓名">{l.name}</Descriptions.Item>
            <Descriptions.Item label="身份证号">{l.idNumberMasked}</Descriptions.Item>
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
        </>
      )}
    </Drawer>
  );
}
