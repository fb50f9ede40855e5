#!/usr/bin/env node
// `npm start`: builds what is out of date (shared code and API with tsc's
// incremental build; the mini-program's H5 build only when its sources
// changed), then runs the API, which serves the H5 app at /.
import { spawnSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const h5Dir = path.join(root, 'apps/miniapp/dist/h5');
const stampFile = path.join(h5Dir, '.source-hash');

function run(cmd, args, label) {
  const t0 = Date.now();
  process.stdout.write(`• ${label}…\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`✗ ${label} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
  process.stdout.write(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

/** Hash of everything the H5 build is made from. */
function h5SourceHash() {
  const h = createHash('sha256');
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        h.update(path.relative(root, p));
        h.update(fs.readFileSync(p));
      }
    }
  };
  for (const d of ['apps/miniapp/src', 'apps/miniapp/config', 'packages/shared/src']) walk(path.join(root, d));
  for (const f of ['apps/miniapp/package.json', 'apps/miniapp/babel.config.js', 'package-lock.json']) {
    const p = path.join(root, f);
    if (fs.existsSync(p)) h.update(fs.readFileSync(p));
  }
  return h.digest('hex');
}

run('npx', ['tsc', '-b', 'packages/shared', 'packages/matching', 'apps/api'], 'Compiling the shared code and the API');
const hash = h5SourceHash();
const built = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : null;
if (built !== hash || !fs.existsSync(path.join(h5Dir, 'index.html'))) {
  run('npm', ['run', 'build:h5', '-w', '@jobbridge/miniapp'], 'Building the mini-program for the browser (H5; the first build takes a minute or two)');
  fs.writeFileSync(stampFile, hash + '\n');
}

const server = spawn(process.execPath, ['--enable-source-maps', path.join(root, 'apps/api/dist/server.js')], { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
