import fs from 'node:fs';
import path from 'node:path';

/**
 * Every test's temporary folder is its own (mkdtemp). A fixed name in the
 * system temp folder is shared by every run and every user on the machine: a
 * folder another user left behind there made `npm test` fail (config.test.ts).
 */
const ROOT = path.resolve(__dirname, '../../..');
const TEST_DIRS = ['apps/api/test', 'apps/miniapp/test', 'packages/shared/src', 'packages/matching/src', 'e2e', 'scripts'];

function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : files(p);
    return /\.(ts|mjs|js)$/.test(e.name) ? [p] : [];
  });
}

/** Lines that name a temp path other than through mkdtemp: `os.tmpdir()` outside a mkdtemp call, or a literal /tmp/. */
function fixedTempPaths(source: string): string[] {
  return source.split('\n').filter((line) => (/\btmpdir\(\)/.test(line) && !/mkdtemp/.test(line)) || /['"`]\/tmp\//.test(line));
}

/** The samples below are put together at run time, so this file itself holds no fixed temp path and is scanned like the others. */
const TMP = ['', 'tmp', ''].join('/');
const TMPDIR_CALL = ['os.tmp', 'dir()'].join('');

describe('temporary folders in tests', () => {
  it('finds a fixed temp path and accepts mkdtemp', () => {
    expect(fixedTempPaths(`const d = '${TMP}jobbridge-config-test';`)).toHaveLength(1);
    expect(fixedTempPaths(`const d = path.join(${TMPDIR_CALL}, 'id-number-blocks');`)).toHaveLength(1);
    expect(fixedTempPaths(`const d = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-h5-'));`)).toHaveLength(0);
  });

  it('are made with mkdtemp in every test and script', () => {
    const found = TEST_DIRS.flatMap((d) => files(path.join(ROOT, d))).flatMap((f) => fixedTempPaths(fs.readFileSync(f, 'utf8')).map((line) => `${path.relative(ROOT, f)}: ${line.trim()}`));
    expect(found).toEqual([]);
  });
});
