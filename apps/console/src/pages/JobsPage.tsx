import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { Tabs, Typography } from 'antd';
import type { Permission } from '@jobbridge/shared';
import { useSession } from '../auth/session';
import { EmployersTab } from './jobs/EmployersTab';
import { ImportTab } from './jobs/ImportTab';
import { IssuesTab } from './jobs/IssuesTab';
import { PairsTab } from './jobs/PairsTab';
import { PostingsTab } from './jobs/PostingsTab';
import { ProposalsTab } from './jobs/ProposalsTab';

/** The parts of the job supply list, each at its own address under /jobs, with the permission it needs. */
const TABS: { key: string; label: string; permission: Permission; element: JSX.Element }[] = [
  { key: 'postings', label: '岗位', permission: 'jobs.read', element: <PostingsTab /> },
  { key: 'employers', label: '用人单位', permission: 'jobs.read', element: <EmployersTab /> },
  { key: 'proposals', label: '企业提交', permission: 'jobs.manage', element: <ProposalsTab /> },
  { key: 'import', label: 'Excel 导入', permission: 'jobs.manage', element: <ImportTab /> },
  { key: 'issues', label: '月度清单', permission: 'jobs.read', element: <IssuesTab /> },
  { key: 'pairs', label: '东西部协作', permission: 'jobs.manage', element: <PairsTab /> },
];

/** 岗位供给清单: employers, postings, employer contacts' proposals, the xlsx import, the monthly issues and the east-west pairs. */
export default function JobsPage() {
  const { can } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const tabs = TABS.filter((t) => can(t.permission));
  const active = location.pathname.split('/')[2] || tabs[0]?.key;
  return (
    <>
      <Typography.Title level={4}>岗位供给清单</Typography.Title>
      <Tabs activeKey={active} onChange={(k) => navigate(`/jobs/${k}`)} items={tabs.map((t) => ({ key: t.key, label: t.label }))} />
      <Routes>
        {tabs.map((t) => (
          <Route key={t.key} path={t.key} element={t.element} />
        ))}
        <Route path="*" element={<Navigate to={tabs[0] ? tabs[0].key : '/'} replace />} />
      </Routes>
    </>
  );
}
