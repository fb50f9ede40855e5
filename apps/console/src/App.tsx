import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { Button, Layout, Menu, Result, Space, Spin, Typography } from 'antd';
import { AccountBookOutlined, AuditOutlined, BookOutlined, CalendarOutlined, CarOutlined, DashboardOutlined, ShopOutlined, SwapOutlined, TeamOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { SafetyOutlined } from '@ant-design/icons';
import { CONSOLE_ROLES, ROLE_LABELS, type Permission } from '@jobbridge/shared';
import { logout } from './api/client';
import { NOT_FOR_CONSOLE, useSession } from './auth/session';
import { LoginPage } from './pages/LoginPage';
import { ChangePasswordPage } from './pages/ChangePasswordPage';

// Each page is its own chunk, loaded when first opened.
// The dashboard (with ECharts) is a chunk of its own too: the sign-in screen does not carry the charts.
const DashboardPage = lazy(() => import('./pages/DashboardPage'));
const ListsPage = lazy(() => import('./pages/ListsPage'));
const AccountsPage = lazy(() => import('./pages/AccountsPage'));
const TransfersPage = lazy(() => import('./pages/TransfersPage'));
const FollowupsPage = lazy(() => import('./pages/FollowupsPage'));
const AuditPage = lazy(() => import('./pages/AuditPage'));
const JobsPage = lazy(() => import('./pages/JobsPage'));
const TransportPage = lazy(() => import('./pages/TransportPage'));
const TrainingPage = lazy(() => import('./pages/TrainingPage'));
const SubsidiesPage = lazy(() => import('./pages/SubsidiesPage'));
const RightsPage = lazy(() => import('./pages/RightsPage'));

/** The side menu: each entry names the permission (packages/shared/src/permissions.ts) it needs. */
interface Section {
  path: string;
  label: string;
  icon: ReactNode;
  permission: Permission | null;
  element: ReactNode;
}

const SECTIONS: Section[] = [
  // The landing page: the dashboard of the account's area.
  { path: '/', label: '数据看板', icon: <DashboardOutlined />, permission: 'dashboard.read', element: <DashboardPage /> },
  { path: '/lists', label: '实名清单', icon: <UnorderedListOutlined />, permission: 'lists.read', element: <ListsPage /> },
  { path: '/jobs', label: '岗位供给', icon: <ShopOutlined />, permission: 'jobs.read', element: <JobsPage /> },
  { path: '/training', label: '培训', icon: <BookOutlined />, permission: 'training.read', element: <TrainingPage /> },
  { path: '/transport', label: '点对点输送', icon: <CarOutlined />, permission: 'transport.manage', element: <TransportPage /> },
  { path: '/subsidies', label: '补贴', icon: <AccountBookOutlined />, permission: 'subsidies.read', element: <SubsidiesPage /> },
  { path: '/rights', label: '维权', icon: <SafetyOutlined />, permission: 'rights.read', element: <RightsPage /> },
  { path: '/accounts', label: '账号管理', icon: <TeamOutlined />, permission: 'accounts.manage', element: <AccountsPage /> },
  { path: '/transfers', label: '转移申请', icon: <SwapOutlined />, permission: 'transfers.decide', element: <TransfersPage /> },
  { path: '/followups', label: '回访与推荐', icon: <CalendarOutlined />, permission: 'followups.manage', element: <FollowupsPage /> },
  { path: '/audit', label: '审计日志', icon: <AuditOutlined />, permission: 'audit.read', element: <AuditPage /> },
];

export function App() {
  const { user, me, can } = useSession();
  const location = useLocation();
  const navigate = useNavigate();

  if (user === undefined) return <Spin fullscreen tip="正在恢复登录…" />;
  if (!user) return <LoginPage />;
  if (user.mustChangePassword) return <ChangePasswordPage />;
  if (!CONSOLE_ROLES.includes(user.role)) {
    return (
      <Result
        status="warning"
        title="本账号不能使用工作台"
        subTitle={`${ROLE_LABELS[user.role]}：${NOT_FOR_CONSOLE}`}
        extra={<Button onClick={() => void logout()}>换一个账号登录</Button>}
      />
    );
  }

  const sections = SECTIONS.filter((s) => s.permission === null || can(s.permission));
  const selected = sections.filter((s) => s.path !== '/' && location.pathname.startsWith(s.path)).map((s) => s.path);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={200} theme="dark">
        <div className="brand">就业桥 · 工作台</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected.length ? selected : ['/']}
          items={sections.map((s) => ({ key: s.path, icon: s.icon, label: s.label }))}
          onClick={({ key }) => navigate(key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="top-bar">
          <Typography.Text className="area">{me?.region ? me.region.path.map((r) => r.name).join(' / ') : user.role === 'admin' ? '全国' : ''}</Typography.Text>
          <Space>
            <Typography.Text data-testid="signed-in-as">
              {user.name}（{ROLE_LABELS[user.role]}）
            </Typography.Text>
            <Button size="small" onClick={() => void logout()}>
              退出登录
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content className="content">
          <Suspense fallback={<Spin style={{ marginTop: 80, width: '100%' }} />}>
            <Routes>
              {sections.map((s) => (
                <Route key={s.path} path={s.path === '/' ? '/' : `${s.path}/*`} element={s.element} />
              ))}
              {!sections.some((s) => s.path === '/') && <Route path="/" element={<Result status="403" title="本账号不能查看数据看板" />} />}
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
