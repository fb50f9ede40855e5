import fs from 'node:fs';
import path from 'node:path';

// semver (npm's own range logic) ships no types; these are the two functions used.
const semver = require('semver') as { minVersion(range: string): { version: string } | null; satisfies(version: string, range: string): boolean };

/**
 * The README promises Node.js 20.19+ (package.json `engines`): every package
 * the lockfile installs must run there, or `npm install` warns EBADENGINE
 * (cookie@2 and content-disposition@3 want Node 22; the root `overrides` pin
 * the versions before them, which have the same API).
 */
const ROOT = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: unknown }>;
};

describe('the promised Node.js version', () => {
  const oldest = semver.minVersion(pkg.engines.node)!.version;

  it('is the one the README names', () => {
    expect(oldest).toBe('20.19.0');
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain('Node.js 20.19+');
  });

  it('runs every package of the lockfile', () => {
    const refused = Object.entries(lock.packages)
      .map(([where, p]) => ({ where, version: p.version, node: (p.engines as { node?: unknown } | undefined)?.node }))
      .filter((p): p is { where: string; version: string | undefined; node: string } => typeof p.node === 'string')
      .filter((p) => !semver.satisfies(oldest, p.node))
      .map((p) => `${p.where}@${p.version} wants node ${p.node}`);
    expect(refused).toEqual([]);
  });
});
