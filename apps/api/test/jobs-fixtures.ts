import type { DataSource } from 'typeorm';
import { Employer } from '../src/modules/jobs/employer.entity';
import { PostingRow } from '../src/modules/jobs/posting.entity';
import { uniq } from './helpers';

/** Fixture: an employer written straight to the database (setup, not the behaviour under test). */
export async function createEmployer(ds: DataSource, createdBy: string, over: Partial<Employer> = {}): Promise<Employer> {
  return ds.getRepository(Employer).save({
    regionCode: '451425',
    name: uniq('单位'),
    industry: '制造业',
    locationRegionCode: '451425',
    contactName: '韦经理',
    contactPhone: '0771-3520000',
    isPartnerRegion: false,
    createdBy,
    updatedBy: createdBy,
    ...over,
  });
}

/** Fixture: an open posting valid from yesterday for a year (setup). */
export async function createPosting(ds: DataSource, employer: Employer, over: Partial<PostingRow> = {}): Promise<PostingRow> {
  const day = 86_400_000;
  return ds.getRepository(PostingRow).save({
    employerId: employer.id,
    regionCode: employer.regionCode,
    title: '普工',
    categoryCode: 'manufacturing.general_worker',
    workRegionCode: '451425100',
    workPlaceName: '天等县天等镇',
    wageMin: 2800,
    wageMax: 3500,
    headcount: 10,
    ageMin: 18,
    ageMax: 55,
    sex: null,
    educationMin: null,
    skills: [],
    certificates: [],
    boardLodging: false,
    suitsDisabilities: [],
    isEastWest: false,
    validFrom: new Date(Date.now() - day).toISOString().slice(0, 10),
    validTo: new Date(Date.now() + 365 * day).toISOString().slice(0, 10),
    status: 'open',
    publishedAt: new Date(),
    description: null,
    createdBy: employer.createdBy,
    updatedBy: employer.createdBy,
    ...over,
  });
}

/** Polls `read` until `done` holds for its value, or fails after `timeoutMs` with the last value. */
export async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await read();
  }
  return last;
}
