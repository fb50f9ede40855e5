#!/usr/bin/env node
// `npm start`: builds what is out of date (shared code and API with tsc's
// incremental build; the mini-program's H5 build and the staff console's
// build only when their sources changed), then runs the API, which serves
// the H5 app at / and the console at /console/.
import { spawnSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

/** Hash of everything a build is made from: its folders and files, and the lockfile. */
function sourceHash(dirs, files) {
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
  for (const d of dirs) walk(path.join(root, d));
  for (const f of [...files, 'package-lock.json']) {
    const p = path.join(root, f);
    if (fs.existsSync(p)) h.update(fs.readFileSync(p));
  }
  return h.digest('hex');
}

/** Runs a build when its sources changed since the last one (a stamp file in its output keeps the hash). */
function buildWhenStale(outDir, dirs, files, args, label) {
  const out = path.join(root, outDir);
  const stamp = path.join(out, '.source-hash');
  const hash = sourceHash(dirs, files);
  const built = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : null;
  if (built === hash && fs.existsSync(path.join(out, 'index.html'))) return;
  run('npm', args, label);
  fs.writeFileSync(stamp, hash + '\n');
}

run('npx', ['tsc', '-b', 'packages/shared', 'packages/matching', 'apps/api'], 'Compiling the shared code and the API');
buildWhenStale(
  'apps/miniapp/dist/h5',
  ['apps/miniapp/src', 'apps/miniapp/config', 'packages/shared/src'],
  ['apps/miniapp/package.json', 'apps/miniapp/babel.config.js'],
  ['run', 'build:h5', '-w', '@jobbridge/miniapp'],
  'Building the mini-program for the browser (H5; the first build takes a minute or two)',
);
buildWhenStale(
  'apps/console/dist',
  ['apps/console/src', 'packages/shared/src'],
  ['apps/console/package.json', 'apps/console/index.html', 'apps/console/vite.config.ts'],
  ['run', 'build', '-w', '@jobbridge/console'],
  'Building the staff console (/console/)',
);

const server = spawn(process.execPath, ['--enable-source-maps', path.join(root, 'apps/api/dist/server.js')], { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
