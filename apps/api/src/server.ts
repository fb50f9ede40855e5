import closeWithGrace from 'close-with-grace';
import { CONSOLE_ROLES, ROLE_LABELS } from '@jobbridge/shared';
import { buildApp } from './app';
import { loadConfig } from './config';
import { createDataSource, migrate } from './db/data-source';
import { openDatabase } from './db/open';
import { DemoLogin, ensureRootAdmin, seedDemo } from './seed/demo';
import { seedDemoChats, seedDemoPeople } from './seed/demo-people';
import { seedDemoTransport } from './seed/demo-transport';
import { seedDemoSubsidies } from './seed/demo-subsidies';
import { seedDemoTraining } from './seed/demo-training';
import { seedDemoRights } from './seed/demo-rights';
import { QUEUES } from './modules/queue/job-queue';
import { safeErrorMessage } from './log-safety';

/**
 * Starts JobBridge: the database (embedded when DATABASE_URL is unset),
 * migrations, the root admin, the demo county in demo mode, then the API and
 * the H5 app; closes all of it gracefully on SIGINT/SIGTERM.
 */
export async function start(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config);
  const ds = createDataSource(db.url);
  await ds.initialize();
  const applied = await migrate(ds);
  await ensureRootAdmin(ds, config);
  const demo = config.demoSeed ? await seedDemo(ds) : [];
  const app = await buildApp({ config, dataSource: ds });
  // Surveyed through the app's own sync path, so matching runs for them in the background.
  if (config.demoSeed) {
    await seedDemoPeople(app);
    await seedDemoChats(app);
    await seedDemoTransport(app);
    await seedDemoSubsidies(app);
    await seedDemoTraining(app);
    await seedDemoRights(app);
    // A demo database from an earlier version may hold people who were surveyed before the job list existed.
    await app.queue.send(QUEUES.refreshAll, {});
  }

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info({ signal }, 'closing');
    await app.close();
    await ds.destroy();
    await db.stop();
  });

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  printBanner(`http://${host}:${port}`, db.isEmbedded ? `embedded PostgreSQL, data in ${config.dataDir}` : 'DATABASE_URL', applied, config.adminPassword, demo);
}

function printBanner(url: string, dbLabel: string, applied: string[], adminPassword: string | null, demo: DemoLogin[]): void {
  const lines = [
    '',
    `  就业桥 JobBridge is running at ${url}`,
    `  API docs: ${url}/docs    database: ${dbLabel}${applied.length ? `    migrations applied: ${applied.length}` : ''}`,
  ];
  lines.push(`  Staff console (人社工作台): ${url}/console/`);
  if (demo.length) {
    const consoleLogins = ['admin', ...demo.filter((d) => d.password && CONSOLE_ROLES.includes(d.role)).map((d) => d.login)];
    lines.push(`    console logins: ${consoleLogins.join(', ')} (staff and admins only; the password is the same as below)`);
    lines.push('', '  Demo logins (username / password, or the WeChat demo code for workers):');
    lines.push(`    admin / ${adminPassword ?? '(JOBBRIDGE_ADMIN_PASSWORD)'}  系统管理员, whole country`);
    for (const d of demo) {
      lines.push(`    ${d.password ? `${d.login} / ${d.password}` : `微信演示码 ${d.login}`}  ${ROLE_LABELS[d.role]} ${d.name} ${d.area}`);
    }
  }
  console.log(lines.join('\n') + '\n');
}

if (require.main === module) {
  start().catch((err) => {
    // Not the raw error: a database error's message may quote the value it failed on.
    console.error(safeErrorMessage(err));
    process.exit(1);
  });
}
