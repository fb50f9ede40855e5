#!/usr/bin/env node
// `npm run lint:openapi`: writes the OpenAPI document the API serves at
// /openapi.json (apps/api/dist/cli/openapi.js, on an embedded PostgreSQL in a
// temporary folder) and lints it with Redocly's recommended rules
// (redocly.yaml); any error fails. Run after building the API.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-openapi-'));
// The embedded PostgreSQL runs as another user when we are root: it must be able to enter the folder.
fs.chmodSync(tmp, 0o711);
const doc = path.join(tmp, 'openapi.json');

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

function run(cmd, args, env = {}) {
  const merged = { ...process.env, ...env };
  // Always the embedded database of the temporary folder, never one configured for something else.
  delete merged.DATABASE_URL;
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: merged });
  return r.status ?? 1;
}

let status;
try {
  const env = { NODE_ENV: 'development', JOBBRIDGE_DATA_DIR: path.join(tmp, 'data'), EMBEDDED_PG_PORT: String(await freePort()), LOG_LEVEL: 'silent', DEMO_SEED: 'false' };
  status = run(process.execPath, ['apps/api/dist/cli/openapi.js', doc], env);
  if (status === 0) {
    status = run(process.execPath, [path.join(root, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', '--config', 'redocly.yaml', '--format', 'stylish', doc], {
      REDOCLY_TELEMETRY: 'off',
      REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
    });
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(status);
