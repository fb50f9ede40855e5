import type { DataSource } from 'typeorm';
import { chinaDate } from '@jobbridge/shared';
import { createDataSource } from '../src/db/data-source';
import { R } from '../test/fixtures';
import { createAccount, PASSWORD } from '../test/helpers';
import { createEmployer, eventually } from '../test/jobs-fixtures';
import { householdData, laborerData, makeIdNumber, op, uuid } from '../test/survey-fixtures';
import { Cluster, startCluster } from './harness';

/**
 * The job worker process apart from the API, as in compose: both replicas run
 * with JOB_WORKERS=false, one worker.js runs the jobs. A survey and a posting
 * published through nginx get their recommendations, and the matching ran in
 * the worker's database session, never a replica's.
 */
let c: Cluster;
let ds: DataSource;
let staffToken: string;
let officerToken: string;
let staffId: string;

beforeAll(async () => {
  c = await startCluster();
  ds = createDataSource(c.databaseUrl, { poolSize: 2 });
  await ds.initialize();
  const staff = await createAccount(ds, 'staff', R.tiandeng);
  staffId = staff.id;
  const officer = await createAccount(ds, 'officer', R.villageA1);
  const signIn = async (username: string) => (await c.request('/api/v1/auth/login', { body: { username, password: PASSWORD } })).json().accessToken as string;
  staffToken = await signIn(staff.username);
  officerToken = await signIn(officer.username);
}, 180_000);
afterAll(async () => {
  await ds?.destroy();
  await c?.stop();
});

const api = (token: string, path: string, body?: object) => c.request(path, { headers: { authorization: `Bearer ${token}` }, ...(body ? { body } : {}) });

describe('the job worker process', () => {
  it('runs the matching of surveys and of a posting published through nginx, while both replicas have workers off', async () => {
    expect(c.replicas.map((r) => r.running)).toEqual([true, true]);
    expect(c.workers.map((w) => w.name)).toEqual(['worker-1']);
    const householdId = uuid();
    const laborerId = uuid();
    const synced = await api(officerToken, '/api/v1/sync', {
      deviceId: `worker-test-${uuid().slice(0, 8)}`,
      ops: [
        op('household.create', householdId, householdData(R.villageA1)),
        op('laborer.create', laborerId, laborerData(householdId, { name: '蒙秋菊', idNumber: makeIdNumber(undefined, '19920404', 'female'), wantedJobCategories: ['catering.pastry'], workScopes: ['local'] })),
      ],
    });
    expect(synced.status).toBe(200);

    const employer = await createEmployer(ds, staffId, { regionCode: R.tiandeng, locationRegionCode: R.tiandeng, name: `天等县饼屋${uuid().slice(0, 6)}` });
    const created = await api(staffToken, '/api/v1/postings', {
      employerId: employer.id,
      title: '面点师',
      categoryCode: 'catering.pastry',
      workRegionCode: R.townA,
      wageMin: 3000,
      wageMax: 4200,
      headcount: 2,
      validFrom: chinaDate(new Date()),
      validTo: chinaDate(new Date(Date.now() + 60 * 86_400_000)),
    });
    expect(created.status).toBe(201);
    const postingId = created.json().id as string;

    const recs = await eventually(
      async () => (await api(officerToken, `/api/v1/laborers/${laborerId}/recommendations`)).json().items as Array<{ posting: { id: string } }>,
      (items) => Array.isArray(items) && items.some((r) => r.posting.id === postingId),
      60_000,
    );
    expect(recs.map((r) => r.posting.id)).toContain(postingId);

    // Every matching job was done, and none is left: the worker took them.
    const jobs = await ds.query(`SELECT name, state FROM pgboss.job WHERE name IN ('match-seekers', 'match-posting') AND (data->>'postingId' = $1 OR data->'laborerIds' ? $2)`, [postingId, laborerId]);
    expect(jobs.map((j: { name: string }) => j.name).sort()).toEqual(['match-posting', 'match-seekers']);
    expect(jobs.every((j: { state: string }) => j.state === 'completed')).toBe(true);
  });

  it('stops the matching when the worker stops (the replicas never take a job), and catches up when it is back', async () => {
    const worker = c.workers[0];
    await worker.kill('SIGTERM');
    const employer = await createEmployer(ds, staffId, { regionCode: R.tiandeng, locationRegionCode: R.tiandeng, name: `天等县物流${uuid().slice(0, 6)}` });
    const created = await api(staffToken, '/api/v1/postings', {
      employerId: employer.id,
      title: '叉车司机',
      categoryCode: 'logistics.forklift',
      workRegionCode: R.townA,
      wageMin: 3000,
      wageMax: 4200,
      headcount: 2,
      validFrom: chinaDate(new Date()),
      validTo: chinaDate(new Date(Date.now() + 60 * 86_400_000)),
    });
    expect(created.status).toBe(201);
    const postingId = created.json().id as string;
    const stateOf = async () => ((await ds.query(`SELECT state FROM pgboss.job WHERE name = 'match-posting' AND data->>'postingId' = $1`, [postingId])) as Array<{ state: string }>).map((j) => j.state);
    // Several polling intervals (JOB_POLL_SECONDS=1) with both replicas up: nobody takes it.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await stateOf()).toEqual(['created']);

    await worker.start();
    await eventually(stateOf, (s) => s.length === 1 && s[0] === 'completed', 60_000);
  });
});
