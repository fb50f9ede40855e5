import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import 'dayjs/locale/zh-cn';
import dayjs from 'dayjs';
import { App } from './App';

dayjs.locale('zh-cn');

/** The signed-in console with antd's locale and theme: a chunk of its own, fetched while the sign-in form shows. */
export default function Shell() {
  return (
    <ConfigProvider locale={zhCN} theme={{ token: { colorPrimary: '#1d6fdc' } }}>
      <AntApp>
        <App />
      </AntApp>
    </ConfigProvider>
  );
}
