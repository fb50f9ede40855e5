import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../apps/api/src/free-port';

const ROOT = path.resolve(__dirname, '..');

/** Starts the real server (apps/api/dist/server.js) on a fresh embedded database and waits until it listens. */
export default async function globalSetup(): Promise<void> {
  for (const f of ['apps/api/dist/server.js', 'apps/miniapp/dist/h5/index.html', 'apps/console/dist/index.html']) {
    if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: run "npm run test:e2e", which builds first`);
  }
  if (!fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
    throw new Error('Chromium is needed for the browser tests: apt-get install chromium fonts-wqy-microhei (or set CHROMIUM_PATH)');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-e2e-'));
  fs.chmodSync(dataDir, 0o755);
  const [port, pgPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    JOBBRIDGE_DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(pgPort),
    LOG_LEVEL: 'warn',
    // Every browser test reaches this one server from 127.0.0.1, two files at a time (the dashboard's 10 s refresh,
    // the chat's polls): the per-address limit of a real server (600 a minute, tested in the API tests) would refuse
    // a sign-in of one file because of another's traffic.
    RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_IP_MAX_FAILURES: '1000',
  };
  delete env.DATABASE_URL;
  const server = spawn(process.execPath, [path.join(ROOT, 'apps/api/dist/server.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 90 s:\n${output}`)), 90_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('is running at')) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  process.env.E2E_BASE_URL = `http://127.0.0.1:${port}`;
  (globalThis as Record<string, unknown>).__E2E__ = { server, dataDir };
}

export type E2EState = { server: ChildProcess; dataDir: string };
