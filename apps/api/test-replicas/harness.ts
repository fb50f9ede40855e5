import crypto from 'node:crypto';
import { createTestCopy } from '../test/test-database';
import { Cluster, ClusterOptions, startCluster as startOn } from '../src/replicas/harness';

export type { Cluster, Replica, Response } from '../src/replicas/harness';

/**
 * The replica tests' cluster (src/replicas/harness.ts): its own database,
 * copied from the test run's migrated one (apps/api/test/global-setup.ts),
 * dropped when the cluster stops.
 */
export async function startCluster(opts: Omit<ClusterOptions, 'database'> = {}): Promise<Cluster> {
  const server = process.env.JOBBRIDGE_TEST_DATABASE_URL;
  if (!server) throw new Error('startCluster needs the test PostgreSQL: run it under a jest config whose globalSetup is apps/api/test/global-setup.ts');
  const database = await createTestCopy(server, `replicas_${crypto.randomBytes(6).toString('hex')}`);
  // Dropped by the cluster's stop (or by a failed start's cleanup).
  return startOn({ ...opts, database });
}
