import type { ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { App as AntApp, Breadcrumb, Button, Card, Col, ConfigProvider, Layout, Menu, Row, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import 'dayjs/locale/zh-cn';
import dayjs from 'dayjs';
import { App } from './App';

dayjs.locale('zh-cn');

const THEME = { token: { colorPrimary: '#1d6fdc' } };

function Frame({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider locale={zhCN} theme={THEME}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** The signed-in console with antd's locale and theme: a chunk of its own, fetched while the sign-in form shows. */
export default function Shell() {
  return (
    <Frame>
      <App />
    </Frame>
  );
}

let warmed = false;

/**
 * antd writes each component's CSS the first time one renders (CSS-in-JS), and after the click on 登录 that was a
 * good part of drawing the frame and the dashboard. The sign-in form calls this once the console's chunks have
 * arrived, while the password is typed: one of each component the frame and the dashboard draw first, in the same
 * theme, in a box of its own outside the document, so their styles are written then and found ready after sign-in. It
 * stays mounted (antd drops a style when nothing uses it any more): some 60 elements nobody sees.
 */
export function warmUp(): void {
  if (warmed) return;
  warmed = true;
  // A box outside the document: nothing of it is shown or found in the page, and antd writes the styles into <head> all the same.
  createRoot(document.createElement('div')).render(
    <Frame>
      <Layout>
        <Layout.Sider theme="dark">
          <Menu theme="dark" mode="inline" items={[{ key: 'a', label: 'a' }]} selectedKeys={['a']} />
        </Layout.Sider>
        <Layout>
          <Layout.Header />
          <Layout.Content>
            <Space>
              <Typography.Text>a</Typography.Text>
              <Typography.Title level={3}>a</Typography.Title>
              <Button size="small">a</Button>
              <Tag>a</Tag>
            </Space>
            <Spin />
            <Breadcrumb items={[{ title: 'a' }, { title: 'b' }]} />
            <Row gutter={12}>
              <Col span={3}>
                <Card size="small" title="a">
                  <Statistic title="a" value={1} />
                </Card>
              </Col>
            </Row>
            <Table size="small" bordered pagination={false} rowKey="k" columns={[{ title: 'a', key: 'a', children: [{ title: 'b', dataIndex: 'k', sorter: true }] }]} dataSource={[{ k: 1 }]} />
          </Layout.Content>
        </Layout>
      </Layout>
    </Frame>,
  );
}
