import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { SessionProvider, useSession } from './auth/session';
import { LoginPage } from './pages/LoginPage';
import './styles.css';

// The signed-in console (antd, its frame, menu and pages) is a chunk of its own: the sign-in screen loads
// only React, the router, the session and a plain form (npm run bench -- console times it).
const Shell = lazy(() => import('./Shell'));

function Splash({ text }: { text: string }) {
  return (
    <div className="splash" role="status">
      <span className="splash-spinner" aria-hidden />
      {text}
    </div>
  );
}

/** Sign-in first; the console's chunks load once someone is signed in. */
function Root() {
  const { user } = useSession();
  if (user === undefined) return <Splash text="正在恢复登录…" />;
  if (!user) return <LoginPage />;
  return (
    <Suspense fallback={<Splash text="正在加载工作台…" />}>
      <Shell />
    </Suspense>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <BrowserRouter basename="/console">
        <Root />
      </BrowserRouter>
    </SessionProvider>
  </StrictMode>,
);
