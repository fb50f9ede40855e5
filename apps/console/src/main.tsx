import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import 'dayjs/locale/zh-cn';
import dayjs from 'dayjs';
import { SessionProvider, useSession } from './auth/session';
import { LoginPage } from './pages/LoginPage';
import './styles.css';

dayjs.locale('zh-cn');

// The signed-in console (its frame, menu and pages) is a chunk of its own: the sign-in screen loads only
// React, the router, the session and the antd parts of the form (npm run bench -- console times it).
const App = lazy(() => import('./App').then((m) => ({ default: m.App })));

/** Sign-in first; the console's chunks load once someone is signed in. */
function Root() {
  const { user } = useSession();
  if (user === undefined) return <Spin fullscreen tip="正在恢复登录…" />;
  if (!user || user.mustChangePassword) return <LoginPage />;
  return (
    <Suspense fallback={<Spin fullscreen tip="正在加载工作台…" />}>
      <App />
    </Suspense>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={{ token: { colorPrimary: '#1d6fdc' } }}>
      <AntApp>
        <SessionProvider>
          <BrowserRouter basename="/console">
            <Root />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
