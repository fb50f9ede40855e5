import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import 'dayjs/locale/zh-cn';
import dayjs from 'dayjs';
import { SessionProvider } from './auth/session';
import { App } from './App';
import './styles.css';

dayjs.locale('zh-cn');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={{ token: { colorPrimary: '#1d6fdc' } }}>
      <AntApp>
        <SessionProvider>
          <BrowserRouter basename="/console">
            <App />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
