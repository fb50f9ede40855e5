#!/usr/bin/env node
/**
 * Checks the WeChat mini-program build (apps/miniapp/dist/weapp) the way the
 * WeChat upload would, without WeChat DevTools:
 *   1. package sizes: the main package and each subpackage must stay under
 *      WeChat's 2 MB hard limit (all packages together under 20 MB); the main
 *      package warns above 600 KB, since it is what every user downloads first;
 *   2. every .wxml compiles with WeChat's own `wcc`, every .wxss with `wcsc`
 *      (the linux binaries shipped in the `miniprogram-compiler` npm package),
 *      and every page, import, wxs and custom component they name exists;
 *   3. no script calls eval or new Function (the mini-program runtime forbids
 *      them), except webpack's guarded global-object shim.
 *
 * Usage: node scripts/check-weapp.mjs [distDir]   (run `taro build --type weapp` first)
 * Exit code 1 on any failure.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const KB = 1024;
const MB = 1024 * KB;
/** WeChat rejects an upload whose main package or any subpackage is larger. */
const PACKAGE_LIMIT = 2 * MB;
/** WeChat's limit for all packages together. */
const TOTAL_LIMIT = 20 * MB;
/** Our own budget: the main package is what every user waits for on a slow village network. */
const MAIN_WARN = 600 * KB;
/** Files in the output folder that are project settings, not part of any code package. */
const NOT_UPLOADED = new Set(['project.config.json', 'project.private.config.json']);

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const miniappDir = path.join(repoRoot, 'apps/miniapp');
const distDir = path.resolve(process.argv[2] ?? path.join(miniappDir, 'dist/weapp'));

const errors = [];
const warnings = [];
const fail = (msg) => errors.push(msg);
const warn = (msg) => warnings.push(msg);
const toPosix = (p) => p.split(path.sep).join('/');
const formatSize = (bytes) => (bytes >= MB ? `${(bytes / MB).toFixed(2)} MB` : `${(bytes / KB).toFixed(1)} KB`);

function listFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(toPosix(path.relative(distDir, full)));
  }
  return out.sort();
}

function readJson(rel) {
  try {
    return JSON.parse(fs.readFileSync(path.join(distDir, rel), 'utf8'));
  } catch (err) {
    fail(`${rel}: cannot read JSON (${err.message})`);
    return null;
  }
}

if (!fs.existsSync(path.join(distDir, 'app.json'))) {
  console.error(`No weapp build in ${distDir}. Run: npm run build:weapp -w @jobbridge/miniapp`);
  process.exit(1);
}

const appJson = readJson('app.json') ?? {};
const subpackages = appJson.subPackages ?? appJson.subpackages ?? [];
const subRoots = subpackages.map((s) => s.root.replace(/^\/+|\/+$/g, ''));
const files = listFiles(distDir);

// ---- 1. sizes -------------------------------------------------------------
const sizeOf = (rel) => fs.statSync(path.join(distDir, rel)).size;
const packageOf = (rel) => subRoots.find((root) => rel === root || rel.startsWith(`${root}/`)) ?? null;
const sizes = new Map([['(main)', 0], ...subRoots.map((r) => [r, 0])]);
for (const rel of files) {
  if (NOT_UPLOADED.has(rel)) continue;
  const key = packageOf(rel) ?? '(main)';
  sizes.set(key, sizes.get(key) + sizeOf(rel));
}

console.log(`weapp build: ${path.relative(process.cwd(), distDir) || '.'}`);
console.log('package sizes (WeChat limit 2 MB each):');
let total = 0;
for (const [name, bytes] of sizes) {
  total += bytes;
  console.log(`  ${name.padEnd(24)} ${formatSize(bytes).padStart(10)}`);
  if (bytes > PACKAGE_LIMIT) fail(`package ${name} is ${formatSize(bytes)}, over WeChat's 2 MB limit`);
}
console.log(`  ${'(total)'.padEnd(24)} ${formatSize(total).padStart(10)}`);
if (total > TOTAL_LIMIT) fail(`all packages together are ${formatSize(total)}, over WeChat's 20 MB limit`);
const mainSize = sizes.get('(main)');
if (mainSize > MAIN_WARN && mainSize <= PACKAGE_LIMIT) {
  warn(`main package is ${formatSize(mainSize)}, over the 600 KB budget: move rarely used pages to subpackages`);
}

// ---- 2. structure: pages, imports, wxs, components exist --------------------
const exists = (rel) => fs.existsSync(path.join(distDir, rel));
const pagePaths = [
  ...(appJson.pages ?? []),
  ...subpackages.flatMap((s) => (s.pages ?? []).map((p) => `${s.root.replace(/\/+$/, '')}/${p}`)),
];
for (const page of pagePaths) {
  for (const ext of ['.js', '.json', '.wxml']) {
    if (!exists(page + ext)) fail(`page ${page}: missing ${page}${ext}`);
  }
}

/** Resolves a path written in a file (relative, or absolute from the package root). */
const resolveRef = (fromRel, ref) => toPosix(path.normalize(ref.startsWith('/') ? ref.slice(1) : path.join(path.dirname(fromRel), ref)));

const wxmlFiles = files.filter((f) => f.endsWith('.wxml'));
const wxsFiles = files.filter((f) => f.endsWith('.wxs'));
const wxssFiles = files.filter((f) => f.endsWith('.wxss'));

for (const rel of wxmlFiles) {
  const text = fs.readFileSync(path.join(distDir, rel), 'utf8');
  for (const m of text.matchAll(/<(import|include|wxs)\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/g)) {
    const target = resolveRef(rel, m[2]);
    if (!exists(target)) fail(`${rel}: <${m[1]} src="${m[2]}"> not found (${target})`);
  }
}

/** usingComponents of every page and component, checked to exist and handed to wcc below. */
const componentArgs = [];
for (const rel of files.filter((f) => f.endsWith('.json'))) {
  const base = rel.slice(0, -'.json'.length);
  if (!exists(`${base}.wxml`)) continue;
  const json = readJson(rel);
  const using = json?.usingComponents ?? {};
  const names = Object.keys(using);
  for (const name of names) {
    const ref = using[name];
    if (ref.startsWith('plugin://')) continue;
    const target = resolveRef(rel, ref);
    if (!exists(`${target}.js`) || !exists(`${target}.json`)) fail(`${rel}: component "${name}" -> ${ref} not found`);
  }
  if (names.length) componentArgs.push(`${base}.wxml`, String(names.length), ...names);
}

// ---- 2b. compile with WeChat's compilers ----------------------------------
/**
 * The binaries are published without the executable bit; the package's own
 * wrapper chmods them in place. Do the same, and fall back to a private copy
 * when node_modules is read-only.
 */
function executable(binPath) {
  try {
    fs.accessSync(binPath, fs.constants.X_OK);
    return binPath;
  } catch {
    /* not executable yet */
  }
  try {
    fs.chmodSync(binPath, 0o755);
    return binPath;
  } catch {
    const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wxcompiler-')), path.basename(binPath));
    fs.copyFileSync(binPath, copy);
    fs.chmodSync(copy, 0o755);
    return copy;
  }
}

function resolveCompiler(name) {
  const req = createRequire(path.join(miniappDir, 'package.json'));
  const pkgDir = path.dirname(req.resolve('miniprogram-compiler/package.json'));
  const dir = { linux: 'linux', darwin: 'mac', win32: 'windows' }[process.platform];
  if (!dir) throw new Error(`no build for ${process.platform}`);
  return executable(path.join(pkgDir, 'bin', dir, process.platform === 'win32' ? `${name}.exe` : name));
}

function run(bin, args) {
  return spawnSync(bin, args, { cwd: distDir, maxBuffer: 64 * MB, encoding: 'utf8' });
}

let wcc;
let wcsc;
try {
  wcc = resolveCompiler('wcc');
  wcsc = resolveCompiler('wcsc');
} catch (err) {
  fail(`cannot find WeChat's compilers in miniprogram-compiler: ${err.message}`);
}

if (wcc && wxmlFiles.length) {
  // One run over every template, as the DevTools do: templates import each other.
  const args = ['-d', '-cc', [String(componentArgs.length ? countPages(componentArgs) : 0), ...componentArgs].join(' ')];
  const res = run(wcc, [...args, ...wxmlFiles, ...wxsFiles, '-gn', '$gwx']);
  if (res.error) fail(`wcc did not run: ${res.error.message}`);
  else if (res.status !== 0) fail(`wcc rejected the templates:\n${(res.stderr || res.stdout).trim()}`);
  else console.log(`wcc: ${wxmlFiles.length} .wxml and ${wxsFiles.length} .wxs compiled`);
}

/** Number of files that declare usingComponents in the flat [file, n, ...names] list. */
function countPages(list) {
  let count = 0;
  for (let i = 0; i < list.length; i += 2 + Number(list[i + 1])) count++;
  return count;
}

if (wcsc && wxssFiles.length) {
  // One run over every stylesheet, as the DevTools do: wcsc resolves @import only
  // among the files it is given. Page and component sheets (those with a .json) go
  // first and are counted by -pc; errors name the file and line.
  const isPageSheet = (rel) => exists(`${rel.slice(0, -'.wxss'.length)}.json`);
  const pageSheets = wxssFiles.filter(isPageSheet);
  const otherSheets = wxssFiles.filter((f) => !isPageSheet(f));
  const res = run(wcsc, ['-db', '-pc', String(pageSheets.length), ...pageSheets, ...otherSheets]);
  if (res.error) fail(`wcsc did not run: ${res.error.message}`);
  else if (res.status !== 0) fail(`wcsc rejected the stylesheets:\n${(res.stderr || res.stdout).trim()}`);
  else console.log(`wcsc: ${wxssFiles.length} .wxss compiled`);
}

// ---- 3. no eval / new Function -------------------------------------------
// webpack's runtime finds the global object with `globalThis`, falling back to
// `new Function("return this")()` inside try/catch; that one fallback is allowed.
const WEBPACK_GLOBAL_SHIM = /try\s*\{\s*return this\s*\|\|\s*new Function\(\s*["']return this["']\s*\)\(\)\s*\}/g;
const FORBIDDEN = /\beval\s*\(|\bnew\s+Function\s*\(|(?<![.\w$])Function\s*\(\s*["'`]/g;
for (const rel of files.filter((f) => f.endsWith('.js') || f.endsWith('.wxs'))) {
  const text = fs.readFileSync(path.join(distDir, rel), 'utf8').replace(WEBPACK_GLOBAL_SHIM, '');
  for (const m of text.matchAll(FORBIDDEN)) {
    const at = m.index ?? 0;
    fail(`${rel}: forbidden dynamic code "${m[0]}" near: ${text.slice(Math.max(0, at - 60), at + 60).replace(/\s+/g, ' ')}`);
  }
}

// ---- report ---------------------------------------------------------------
for (const w of warnings) console.warn(`WARN  ${w}`);
for (const e of errors) console.error(`FAIL  ${e}`);
if (errors.length) {
  console.error(`check-weapp: ${errors.length} problem(s)`);
  process.exit(1);
}
console.log(`check-weapp: OK (main package ${formatSize(mainSize)})`);
