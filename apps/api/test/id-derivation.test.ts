import ExcelJS from 'exceljs';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { ageOn, chinaDate, idNumberCheckChar } from '@jobbridge/shared';
import { LIST_DEFINITIONS } from '../src/modules/lists/list-definitions';
import { R } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';
import { createEmployer, createPosting } from './jobs-fixtures';
import { householdData, laborerData, makeIdNumber, op, sync, uuid } from './survey-fixtures';

/**
 * A masked ID number must not be undone by what is sent beside it. For one
 * person, this takes every answer an officer, a grid leader, a township's
 * staff and the worker themself can get (every route of /openapi.json, the
 * change feed page by page, the lists in every sort with their cursors, the
 * xlsx export) and checks that neither the number nor the birth date (digits
 * 7-14) appears anywhere in them, even inside a cursor, and that the ID
 * numbers consistent with everything they show (region, visible digits,
 * check character, sex parity, age) number at least 1,000.
 *
 * The route table below must name every route of the document: a new route
 * fails this test until it is said how to call it or why it says nothing
 * about a person.
 */
let t: TestApp;
let app: FastifyInstance;

const BIRTH = '1979-07-23';
const TOKEN = `辨${uuid().slice(0, 4)}`;
const NAME = `农${TOKEN}`;
const TWIN = `韦${TOKEN}`;
const ID_NUMBER = makeIdNumber(undefined, BIRTH.replace(/-/g, ''), 'female');
const TWIN_ID = makeIdNumber(undefined, '1980-02-02'.replace(/-/g, ''), 'male');
/** A monthly income nobody else in the village has: the subsidy rule below picks this person by it. */
const INCOME = 4000 + Math.floor(Math.random() * 999);

interface Ids {
  householdId: string;
  laborerId: string;
  recommendationId: string;
  correctionId: string;
  followupId: string;
  tripId: string;
  passengerId: string;
  runId: string;
  cycleId: string;
}
let ids: Ids;
const tokens: Record<'officer' | 'gridLeader' | 'townStaff' | 'worker', string> = { officer: '', gridLeader: '', townStaff: '', worker: '' };
type Role = keyof typeof tokens;

/** How to ask a route about the person, or why it says nothing about one. */
type Route = { calls: (ids: Ids) => InjectOptions[] } | { none: string };
const get = (url: string): InjectOptions => ({ method: 'GET', url });
const SORTS = ['regionCode', 'name', 'age', 'updatedAt'];
const LIST_DEFINITIONS_KEYS = LIST_DEFINITIONS.map((d) => d.key);

const ROUTES: Record<string, Route> = {
  'GET /healthz': { none: 'service health' },
  'GET /readyz': { none: 'service health' },
  'POST /api/v1/auth/login': { none: 'tokens and the signed-in account' },
  'POST /api/v1/auth/wechat': { none: 'tokens and the signed-in account' },
  'POST /api/v1/auth/refresh': { none: 'tokens and the signed-in account' },
  'POST /api/v1/auth/logout': { none: 'no body' },
  'POST /api/v1/auth/password': { none: 'tokens and the signed-in account' },
  'GET /api/v1/me': { calls: () => [get('/api/v1/me')] },
  'POST /api/v1/accounts': { none: 'accounts of staff, not laborers' },
  'GET /api/v1/accounts': { none: 'accounts of staff, not laborers' },
  'GET /api/v1/accounts/{id}': { none: 'accounts of staff, not laborers' },
  'GET /api/v1/accounts/villages-without-officer': { none: 'villages (codes and names), not people' },
  'PATCH /api/v1/accounts/{id}': { none: 'accounts of staff, not laborers' },
  'POST /api/v1/accounts/{id}/password': { none: 'accounts of staff, not laborers' },
  'GET /api/v1/regions': { none: 'the region tree' },
  'GET /api/v1/regions/{code}': { none: 'the region tree' },
  'GET /api/v1/regions/{code}/children': { none: 'the region tree' },
  'GET /api/v1/dashboard': { none: 'counts of an area only, no person' },
  // Labor-rights cases (modules/rights): no ID number or birth date is in a case; the reporter is masked (rights.test.ts).
  'GET /api/v1/rights/calendar': { none: 'dates of the working-day calendar' },
  'PUT /api/v1/rights/calendar/{date}': { none: 'a date of the calendar and a count' },
  'POST /api/v1/rights/cases': { none: 'answers the case id, status and due date' },
  'GET /api/v1/rights/cases': { calls: () => [get('/api/v1/rights/cases?limit=200')] },
  'GET /api/v1/rights/cases/{id}': { none: 'a case: employer, place, amounts, what happened, the reporter masked; no ID number or birth date' },
  'POST /api/v1/rights/cases/{id}/reveal-reporter': { none: "the reporter's name, phone and laborer id: no ID number or birth date" },
  'PATCH /api/v1/rights/cases/{id}': { none: 'answers a version or the conflicting fields of the case' },
  'POST /api/v1/rights/cases/{id}/steps': { none: 'answers the status and due date' },
  'PUT /api/v1/rights/cases/{id}/handler': { none: 'answers the handler id' },
  'PUT /api/v1/rights/cases/{id}/share': { none: 'answers the partner region' },
  'GET /api/v1/rights/overdue': { none: 'counts of an area only, no person' },
  'GET /api/v1/rights/alerts': { none: "deadline alerts of one's cases: employer, kind, dates" },
  'POST /api/v1/rights/alerts/{id}/read': { none: 'answers the alert id' },
  'POST /api/v1/me/rights-cases': { none: 'answers the case id, status and due date' },
  'GET /api/v1/me/rights-cases': { calls: () => [get('/api/v1/me/rights-cases')] },
  'GET /api/v1/audit-events': { calls: (i) => [get(`/api/v1/audit-events?entityId=${i.laborerId}&limit=200`), get(`/api/v1/audit-events?regionCode=${R.villageA1}&limit=200`)] },
  // Writes: the answer to an update naming the birth date or sex must not depend on the value (see the oracle test below).
  'POST /api/v1/sync': {
    calls: (i) => [
      { method: 'POST', url: '/api/v1/sync', payload: { deviceId: 'dev-x', ops: [op('laborer.update', i.laborerId, { birthDate: BIRTH }, 1)] } },
      { method: 'POST', url: '/api/v1/sync', payload: { deviceId: 'dev-x', ops: [op('laborer.update', i.laborerId, { education: 'junior' }, 1)] } },
    ],
  },
  'GET /api/v1/sync/changes': { calls: () => [get('/api/v1/sync/changes?limit=1000')] },
  'GET /api/v1/households/{id}': { calls: (i) => [get(`/api/v1/households/${i.householdId}`)] },
  'GET /api/v1/laborers/{id}': { calls: (i) => [get(`/api/v1/laborers/${i.laborerId}`)] },
  'POST /api/v1/laborers/{id}/reveal-id-number': { calls: (i) => [{ method: 'POST', url: `/api/v1/laborers/${i.laborerId}/reveal-id-number`, payload: { reason: '核对身份信息' } }] },
  'GET /api/v1/households/{id}/history': { calls: (i) => [get(`/api/v1/households/${i.householdId}/history`)] },
  'GET /api/v1/laborers/{id}/history': { calls: (i) => [get(`/api/v1/laborers/${i.laborerId}/history`)] },
  'GET /api/v1/transfer-cases': { calls: () => [get('/api/v1/transfer-cases?limit=200')] },
  'POST /api/v1/transfer-cases/{id}/resolve': { none: 'answers the case id and its status' },
  'GET /api/v1/lists': { calls: () => [get('/api/v1/lists')] },
  'GET /api/v1/lists/{list}': {
    calls: () =>
      LIST_DEFINITIONS_KEYS.flatMap((key) =>
        SORTS.flatMap((sort) => ['asc', 'desc'].map((order) => get(`/api/v1/lists/${key}?q=${encodeURIComponent(TOKEN)}&sort=${sort}&order=${order}&limit=1`))),
      ).concat([get(`/api/v1/lists/all?idNumber=${ID_NUMBER}`)]),
  },
  'GET /api/v1/lists/{list}/export': { calls: () => LIST_DEFINITIONS_KEYS.map((key) => get(`/api/v1/lists/${key}/export?q=${encodeURIComponent(TOKEN)}`)) },
  'GET /api/v1/employers': { none: 'job supply, not people' },
  'POST /api/v1/employers': { none: 'job supply, not people' },
  'GET /api/v1/employers/{id}': { none: 'job supply, not people' },
  'PATCH /api/v1/employers/{id}': { none: 'job supply, not people' },
  'GET /api/v1/postings': { none: 'job supply, not people' },
  'POST /api/v1/postings': { none: 'job supply, not people' },
  'GET /api/v1/postings/import-template': { none: 'job supply, not people' },
  'POST /api/v1/postings/import': { none: 'job supply, not people' },
  'GET /api/v1/postings/{id}': { none: 'job supply, not people' },
  'PATCH /api/v1/postings/{id}': { none: 'job supply, not people' },
  'GET /api/v1/postings/{id}/recommendation-counts': { none: "counts of a posting's recommendations by status, no person" },
  'POST /api/v1/posting-issues': { none: 'job supply, not people' },
  'GET /api/v1/posting-issues': { none: 'job supply, not people' },
  'GET /api/v1/posting-issues/{id}': { none: 'job supply, not people' },
  'GET /api/v1/cooperation-pairs': { none: 'job supply, not people' },
  'POST /api/v1/cooperation-pairs': { none: 'job supply, not people' },
  'DELETE /api/v1/cooperation-pairs/{countyCode}/{partnerRegionCode}': { none: 'job supply, not people' },
  'POST /api/v1/laborers/{id}/binding-codes': { none: 'answers a code and its expiry' },
  'DELETE /api/v1/laborers/{id}/binding': { none: 'no body' },
  'POST /api/v1/me/binding': { none: 'answers as GET /me/binding does' },
  'GET /api/v1/me/binding': { calls: () => [get('/api/v1/me/binding')] },
  'GET /api/v1/me/record': { calls: () => [get('/api/v1/me/record')] },
  'POST /api/v1/me/corrections': { none: 'answers the request as GET /me/corrections lists it' },
  'GET /api/v1/me/corrections': { calls: () => [get('/api/v1/me/corrections')] },
  'GET /api/v1/corrections': { calls: () => [get('/api/v1/corrections?limit=200')] },
  'POST /api/v1/corrections/{id}/resolve': { none: 'answers the request as GET /corrections lists it' },
  'GET /api/v1/me/notifications': { calls: () => [get('/api/v1/me/notifications?limit=100')] },
  'POST /api/v1/chat/groups': { none: 'a group (name, grid, counts)' },
  'GET /api/v1/chat/groups': { none: 'groups (name, grid, counts)' },
  'GET /api/v1/chat/area-groups': { none: 'groups (name, grid, counts)' },
  'GET /api/v1/chat/groups/{id}': { none: 'a group (name, grid, counts)' },
  'PATCH /api/v1/chat/groups/{id}': { none: 'a group (name, grid, counts)' },
  'GET /api/v1/chat/groups/{id}/members': { none: 'members: account id, the name shown in the group (a worker: surname and *), roles' },
  'POST /api/v1/chat/groups/{id}/members': { none: 'answers a count' },
  'GET /api/v1/chat/groups/{id}/suggested': { none: 'people a grid leader may add: account id, name, village name; no ID number, birth date or age' },
  'DELETE /api/v1/chat/groups/{id}/members/{accountId}': { none: 'no body' },
  'PATCH /api/v1/chat/groups/{id}/members/{accountId}': { none: 'a member as GET .../members lists it' },
  'POST /api/v1/chat/groups/{id}/invite-code': { none: 'an invite code' },
  'POST /api/v1/chat/join': { none: 'a group (name, grid, counts)' },
  'POST /api/v1/chat/groups/{id}/messages': { none: 'a message: what its sender wrote, their shown name' },
  'GET /api/v1/chat/groups/{id}/messages': { none: 'messages: what their senders wrote, their shown names' },
  'POST /api/v1/chat/groups/{id}/read': { none: 'answers two counts' },
  'POST /api/v1/chat/groups/{id}/messages/{seq}/recall': { none: 'a recall event' },
  'POST /api/v1/chat/groups/{id}/messages/{seq}/delete': { none: 'a delete event' },
  'GET /api/v1/chat/events': { none: 'messages: what their senders wrote, their shown names' },
  'POST /api/v1/chat/broadcasts': { none: 'a broadcast: the job card and counts per group' },
  'GET /api/v1/chat/broadcasts': { none: 'broadcasts: job cards and group counts' },
  'GET /api/v1/chat/broadcasts/{id}': { none: 'a broadcast: the job card and counts per group' },
  'POST /api/v1/me/notifications/read-all': { none: 'answers a count' },
  'POST /api/v1/me/notifications/{id}/read': { none: 'answers as GET /me/notifications lists it' },
  'POST /api/v1/me/wechat-subscriptions': { none: 'template counts' },
  'GET /api/v1/me/wechat-subscriptions': { none: 'template counts' },
  'GET /api/v1/laborers/{id}/recommendations': { calls: (i) => [get(`/api/v1/laborers/${i.laborerId}/recommendations`)] },
  'GET /api/v1/laborers/{id}/ledger': { calls: (i) => [get(`/api/v1/laborers/${i.laborerId}/ledger`)] },
  'POST /api/v1/laborers/{id}/referrals': { none: 'answers the recommendation as GET /laborers/{id}/recommendations lists it' },
  'POST /api/v1/laborers/{id}/services': { none: 'answers the service record as the ledger lists it' },
  'POST /api/v1/recommendations/{id}/feedback': { none: 'answers the recommendation as GET /laborers/{id}/recommendations lists it' },
  'GET /api/v1/recommendations/awaiting-contact': { calls: () => [get('/api/v1/recommendations/awaiting-contact?limit=200')] },
  'POST /api/v1/recommendations/{id}/contacted': { none: 'answers the person as GET /recommendations/awaiting-contact lists them' },
  'GET /api/v1/me/recommendations': { calls: () => [get('/api/v1/me/recommendations')] },
  'GET /api/v1/me/recommendations/{id}': { calls: (i) => [get(`/api/v1/me/recommendations/${i.recommendationId}`)] },
  'POST /api/v1/me/recommendations/{id}/feedback': { none: 'answers as GET /me/recommendations/{id}' },
  'PUT /api/v1/me/recommendations/{id}/share-contact': { none: 'answers as GET /me/recommendations/{id}' },
  'POST /api/v1/me/job-interest': { none: 'answers as GET /me/recommendations/{id}' },
  // Employer contacts (modules/employers): employers, proposals, tokens; candidates are name, phone, posting and time.
  'POST /api/v1/employers/{id}/contact-invites': { none: 'a code and its expiry' },
  'POST /api/v1/me/employer-binding': { none: 'the employer and tokens' },
  'GET /api/v1/me/employer': { none: 'the employer and the contact\'s own name' },
  'POST /api/v1/me/posting-proposals': { none: 'job supply, not people' },
  'GET /api/v1/me/posting-proposals': { none: 'job supply, not people' },
  'GET /api/v1/me/candidates': { none: 'name, phone, posting and time of those who agreed: never an ID number, birth date or age' },
  'GET /api/v1/posting-proposals': { none: 'job supply, not people' },
  'POST /api/v1/posting-proposals/{id}/accept': { none: 'job supply, not people' },
  'POST /api/v1/posting-proposals/{id}/reject': { none: 'job supply, not people' },
  'GET /api/v1/followups': { calls: () => [get('/api/v1/followups?limit=200')] },
  'POST /api/v1/followups/{id}/complete': { none: 'answers the follow-up as GET /followups lists it' },
  // Subsidies (modules/subsidies): people as the lists show them (name, the ID number's first six digits, village) with amounts
  // and the rule's checks (facts like months employed, destination, poverty status; age only if a rule names it, as the lists show it).
  'GET /api/v1/subsidies/rules': { none: 'rules: conditions and amounts, no person' },
  'POST /api/v1/subsidies/rules': { none: 'rules: conditions and amounts, no person' },
  'POST /api/v1/subsidies/rules/{id}/versions': { none: 'rules: conditions and amounts, no person' },
  'GET /api/v1/subsidies/rules/{id}/evaluate': { calls: (i) => [get(`/api/v1/subsidies/rules/00000000-0000-4000-8000-000000000000/evaluate?laborerId=${i.laborerId}&period=2026`)] },
  'GET /api/v1/subsidies/exclusions': { none: 'pairs of subsidy types' },
  'PUT /api/v1/subsidies/exclusions': { none: 'pairs of subsidy types' },
  'GET /api/v1/subsidies/runs': { none: 'runs: rule, area, period and counts' },
  'POST /api/v1/subsidies/runs': { none: 'a run: rule, area, period and counts' },
  'GET /api/v1/subsidies/runs/{id}': { calls: (i) => [get(`/api/v1/subsidies/runs/${i.runId}`)] },
  'GET /api/v1/subsidies/runs/{id}/export': { calls: (i) => [get(`/api/v1/subsidies/runs/${i.runId}/export`)] },
  'GET /api/v1/subsidies/cycles': { none: 'cycles: area, period, status, dates' },
  'POST /api/v1/subsidies/cycles': { none: 'a cycle: area, period, status, dates' },
  'GET /api/v1/subsidies/cycles/{id}': { calls: (i) => [get(`/api/v1/subsidies/cycles/${i.cycleId}`)] },
  'POST /api/v1/subsidies/cycles/{id}/notice': { none: 'a cycle and its counts' },
  'POST /api/v1/subsidies/cycles/{id}/township_review': { none: 'a cycle and its counts' },
  'POST /api/v1/subsidies/cycles/{id}/county_approval': { none: 'a cycle and its counts' },
  'POST /api/v1/subsidies/cycles/{id}/approved': { none: 'a cycle and its counts' },
  'POST /api/v1/subsidies/cycles/{id}/paid': { none: 'a cycle and its counts' },
  'POST /api/v1/subsidies/cycles/{id}/closed': { none: 'a cycle and its counts' },
  'POST /api/v1/subsidies/cycles/{id}/cancelled': { none: 'a cycle and its counts' },
  'POST /api/v1/subsidies/cycles/{id}/refresh': { none: 'answers a count' },
  'POST /api/v1/subsidies/entitlements/{id}/objections': { none: 'the objection as written' },
  'POST /api/v1/subsidies/objections/{id}/resolve': { none: 'the objection as written' },
  'POST /api/v1/subsidies/entitlements/{id}/approve': { none: 'ids and a status' },
  'POST /api/v1/subsidies/entitlements/{id}/approve-override': { none: 'ids and a status' },
  'GET /api/v1/subsidies/cycles/{id}/payments': { calls: (i) => [get(`/api/v1/subsidies/cycles/${i.cycleId}/payments`)] },
  'GET /api/v1/subsidies/cycles/{id}/payments/export': { calls: (i) => [get(`/api/v1/subsidies/cycles/${i.cycleId}/payments/export`)] },
  'POST /api/v1/subsidies/cycles/{id}/payments/bank-export': { none: 'the full ID number on purpose, as reveal-id-number: only idNumber.reveal with a reason, audited apart (subsidies.test.ts); the person here is in no payment list' },
  'POST /api/v1/subsidies/cycles/{id}/bank-return': { none: 'answers counts' },
  // Training (modules/training): the needs list and enrollments show people as the lists do.
  'GET /api/v1/training/courses': { calls: () => [get('/api/v1/training/courses')] },
  'POST /api/v1/training/courses': { none: 'a course: kind, provider, dates, seats; no person' },
  'GET /api/v1/training/courses/{id}': { none: 'a course: kind, provider, dates, seats; no person' },
  'PATCH /api/v1/training/courses/{id}': { none: 'a course: kind, provider, dates, seats; no person' },
  'GET /api/v1/training/courses/{id}/enrollments': { none: 'the person is on no course here; enrollments are masked as the lists are (training.test.ts)' },
  'POST /api/v1/training/courses/{id}/enrollments': { none: 'the enrollment: ids and a status' },
  'POST /api/v1/training/courses/{id}/enroll-from-needs': { none: 'answers counts' },
  'GET /api/v1/training/courses/{id}/outcome': { none: 'counts of a course, no person' },
  'GET /api/v1/training/outcome': { none: "counts of an area's completers, no person" },
  'POST /api/v1/training/enrollments/{id}/withdraw': { none: 'ids and a status' },
  'PUT /api/v1/training/enrollments/{id}/assessment': { none: 'ids, a score and a status' },
  'GET /api/v1/training/needs': { calls: () => [get('/api/v1/training/needs?limit=200')] },
  'GET /api/v1/training/needs/summary': { calls: () => [get('/api/v1/training/needs/summary')] },
  'GET /api/v1/training/needs/export': { calls: () => [get('/api/v1/training/needs/export')] },
  'GET /api/v1/training/certificates': { calls: () => [get('/api/v1/training/certificates')] },
  'GET /api/v1/training/certificates/{id}/pdf': { none: 'a PDF of a certificate: the masked ID as printed (training.test.ts)' },
  'POST /api/v1/training/certificates/{id}/revoke': { none: 'ids and the revocation' },
  'GET /api/v1/me/training': { calls: () => [get('/api/v1/me/training')] },
  'POST /api/v1/me/training/enrollments/{id}/accept': { none: "the worker's own enrollment: ids and a status" },
  'POST /api/v1/me/training/enrollments/{id}/decline': { none: "the worker's own enrollment: ids and a status" },
  'GET /api/v1/me/training/certificates/{id}/pdf': { none: "a PDF of the worker's own certificate" },
  'GET /api/v1/verify/certificates/{serial}': { none: 'public: a certificate found only by serial and check code shows its printed fields (masked ID)' },
  'POST /api/v1/chat/events': { none: 'chat messages of the groups the caller is in, as GET /chat/events' },
  'GET /api/v1/me/subsidies': { calls: () => [get('/api/v1/me/subsidies')] },
  // Transport (modules/transport): the person is a passenger of a trip of their county (made in beforeAll).
  'GET /api/v1/transport/trips': { calls: () => [get('/api/v1/transport/trips')] },
  'POST /api/v1/transport/trips': { none: 'a trip: vehicle, seats, pickup points, counts; no passenger' },
  'GET /api/v1/transport/trips/{id}': { calls: (i) => [get(`/api/v1/transport/trips/${i.tripId}`)] },
  'PATCH /api/v1/transport/trips/{id}': { none: 'a trip as GET /transport/trips/{id} shows it' },
  'POST /api/v1/transport/trips/{id}/status': { none: 'a trip as GET /transport/trips/{id} shows it' },
  'GET /api/v1/transport/trips/{id}/passengers': { calls: (i) => [get(`/api/v1/transport/trips/${i.tripId}/passengers`)] },
  'POST /api/v1/transport/trips/{id}/passengers': { none: 'the passenger row as GET .../passengers shows it' },
  'DELETE /api/v1/transport/trips/{id}/passengers/{passengerId}': { none: 'no body' },
  'GET /api/v1/transport/trips/{id}/suggestions': { calls: (i) => [get(`/api/v1/transport/trips/${i.tripId}/suggestions`)] },
  'GET /api/v1/transport/trips/{id}/manifest': { calls: (i) => [get(`/api/v1/transport/trips/${i.tripId}/manifest`)] },
  'GET /api/v1/transport/trips/{id}/export': { calls: (i) => [get(`/api/v1/transport/trips/${i.tripId}/export`)] },
  'GET /api/v1/transport/trips/{id}/print': { calls: (i) => [get(`/api/v1/transport/trips/${i.tripId}/print`)] },
  'GET /api/v1/transport/counts': { none: 'counts of trips, no person' },
  'GET /api/v1/me/transport': { calls: () => [get('/api/v1/me/transport')] },
  'POST /api/v1/me/transport/trips/{id}/signup': { none: 'the worker\'s own seat and pickup point' },
  'DELETE /api/v1/me/transport/trips/{id}/signup/{passengerId}': { none: 'no body' },
  'GET /api/v1/me/transport/handovers': { calls: () => [get('/api/v1/me/transport/handovers')] },
  'POST /api/v1/me/transport/passengers/{id}/handover': { none: 'ids and the handover time' },
};

beforeAll(async () => {
  t = await createTestApp();
  app = t.app;
  const tok = async (role: 'officer' | 'grid_leader' | 'staff', region: string) => (await login(app, (await createAccount(t.ds, role, region)).username)).accessToken;
  const officerAccount = await createAccount(t.ds, 'officer', R.villageA1);
  tokens.officer = (await login(app, officerAccount.username)).accessToken;
  tokens.gridLeader = await tok('grid_leader', R.villageA1);
  tokens.townStaff = await tok('staff', R.townA);
  const staff = await createAccount(t.ds, 'staff', R.tiandeng);
  const employer = await createEmployer(t.ds, staff.id);
  const postingId = (await createPosting(t.ds, employer, { title: '辨认测试岗位' })).id;

  const householdId = uuid();
  const laborerId = uuid();
  const results = await sync(app, tokens.officer, 'dev-id', [
    op('household.create', householdId, householdData(R.villageA1, { phone: '13800001111' })),
    op('laborer.create', laborerId, laborerData(householdId, { name: NAME, idNumber: ID_NUMBER, phone: '13900001111', birthDate: BIRTH, sex: 'female', monthlyIncome: INCOME })),
    op('laborer.create', uuid(), laborerData(householdId, { name: TWIN, idNumber: TWIN_ID })),
    op('visit.create', uuid(), { householdId, laborerId, visitedAt: new Date().toISOString(), note: '入户' }),
  ]);
  expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
  const officer = as(app, tokens.officer);
  const referral = await officer({ method: 'POST', url: `/api/v1/laborers/${laborerId}/referrals`, payload: { postingId } });
  expect(referral.statusCode).toBe(201);
  expect((await officer({ method: 'POST', url: `/api/v1/recommendations/${referral.json().id}/feedback`, payload: { status: 'hired' } })).statusCode).toBe(200);
  const w = await workerLogin(app);
  tokens.worker = w.accessToken;
  await t.ds.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2)', [w.user.id, laborerId]);
  const correction = await as(app, w.accessToken)({ method: 'POST', url: '/api/v1/me/corrections', payload: { fields: ['birthDate'], message: '出生日期不对' } });
  expect(correction.statusCode).toBe(201);
  const [followup] = await t.ds.query('SELECT id FROM followups WHERE laborer_id = $1 LIMIT 1', [laborerId]);
  const county = as(app, (await login(app, staff.username)).accessToken);
  const departureAt = new Date(Date.UTC(2031, 5, 1, 0, 30)).toISOString();
  const trip = await county({
    method: 'POST',
    url: '/api/v1/transport/trips',
    payload: { title: '辨认测试专车', direction: 'outbound', departureAt, employerIds: [employer.id], destination: '广东省江门市', vehicle: '桂F·B0001', seats: 5, drivers: [{ name: '黄师傅', phone: '13900002222' }], escortIds: [officerAccount.id], pickupPoints: [{ name: '镇政府门口', time: departureAt }] },
  });
  expect(trip.statusCode).toBe(201);
  const passenger = await county({ method: 'POST', url: `/api/v1/transport/trips/${trip.json().id}/passengers`, payload: { laborerId } });
  expect(passenger.statusCode).toBe(201);
  // Subsidies: a rule this person meets (by their income; its checks name their age), its run over the village, and a
  // cycle through 公示 and approval to its payments, so candidates, entitlements and payments are all read below.
  const rule = await county({
    method: 'POST',
    url: '/api/v1/subsidies/rules',
    payload: { subsidyType: 'job_seeking', regionCode: R.tiandeng, name: '辨认测试补贴', effectiveFrom: '2024-01-01', data: { conditions: { all: [{ field: 'monthlyIncome', eq: INCOME }, { field: 'age', gte: 16 }] }, tiers: [{ when: null, amountFen: 10000, label: '一次性' }] } },
  });
  expect(rule.statusCode).toBe(201);
  const run = await county({ method: 'POST', url: '/api/v1/subsidies/runs', payload: { ruleId: rule.json().id, regionCode: R.villageA1, period: '2026' } });
  expect(run.statusCode).toBe(201);
  const cycle = await county({ method: 'POST', url: '/api/v1/subsidies/cycles', payload: { runId: run.json().id, title: '辨认测试补贴' } });
  expect(cycle.statusCode).toBe(201);
  const cycleId = cycle.json().id as string;
  const day = (offset: number) => chinaDate(new Date(Date.now() + offset * 86_400_000));
  const town = as(app, tokens.townStaff);
  expect((await county({ method: 'POST', url: `/api/v1/subsidies/cycles/${cycleId}/notice`, payload: { noticeStart: day(-10), noticeEnd: day(-1) } })).statusCode).toBe(200);
  expect((await town({ method: 'POST', url: `/api/v1/subsidies/cycles/${cycleId}/township_review` })).statusCode).toBe(200);
  expect((await town({ method: 'POST', url: `/api/v1/subsidies/cycles/${cycleId}/county_approval` })).statusCode).toBe(200);
  expect((await county({ method: 'POST', url: `/api/v1/subsidies/cycles/${cycleId}/approved` })).statusCode).toBe(200);
  const payments = (await county({ url: `/api/v1/subsidies/cycles/${cycleId}/payments` })).json().items as Array<{ laborerId: string }>;
  expect(payments.map((p) => p.laborerId)).toEqual([laborerId]);
  ids = { householdId, laborerId, recommendationId: referral.json().id, correctionId: correction.json().id, followupId: followup.id, tripId: trip.json().id, passengerId: passenger.json().id, runId: run.json().id, cycleId };
}, 60_000);
afterAll(() => t.close());

interface Answer {
  call: string;
  status: number;
  text: string;
  json: unknown;
}

/** Every answer `role` gets from the routes, every page of the feed included. */
async function answersOf(role: Role): Promise<Answer[]> {
  const api = as(app, tokens[role]);
  const out: Answer[] = [];
  for (const route of Object.values(ROUTES)) {
    if (!('calls' in route)) continue;
    for (const call of route.calls(ids)) {
      const res = await api(call);
      const isXlsx = String(res.headers['content-type'] ?? '').includes('spreadsheetml');
      const text = isXlsx ? await xlsxText(res.rawPayload) : res.body;
      out.push({ call: `${call.method} ${call.url}`, status: res.statusCode, text, json: isXlsx ? xlsxRows(text) : safeJson(res.body) });
      // The feed: every page, as a device reads it.
      let next = String(call.url).startsWith('/api/v1/sync/changes') && res.statusCode === 200 ? res.json() : null;
      while (next?.hasMore) {
        const page = await api(get(`/api/v1/sync/changes?limit=1000&since=${next.cursor}`));
        out.push({ call: `GET feed page`, status: page.statusCode, text: page.body, json: page.json() });
        next = page.json();
      }
    }
  }
  return out;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

async function xlsxText(buf: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as never);
  const rows: string[][] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? '')))));
  return JSON.stringify(rows);
}

/** An export's rows as objects by header, for the same reading as JSON answers. */
function xlsxRows(text: string): unknown {
  const rows = JSON.parse(text) as string[][];
  const header = rows[0] ?? [];
  return rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

/** Every string inside `text`, and what base64url tokens in it (cursors) decode to. */
function searchable(text: string): string {
  const decoded = (text.match(/[A-Za-z0-9_-]{16,}/g) ?? []).map((tok) => Buffer.from(tok, 'base64url').toString('latin1'));
  return [text, ...decoded].join('\n');
}

/** What an answer shows of the person: masked ID numbers, ages and sex, wherever an object is about them. */
function knowledge(answers: Answer[]): { masks: string[]; ages: number[]; sexes: string[] } {
  const masks = new Set<string>();
  const ages = new Set<number>();
  const sexes = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    const aboutThem = o.id === ids.laborerId || o.laborerId === ids.laborerId || o['姓名'] === NAME || o.name === NAME;
    if (aboutThem) {
      for (const k of ['idNumberMasked', '身份证号(脱敏)']) if (typeof o[k] === 'string') masks.add(o[k] as string);
      for (const k of ['age', '年龄']) if (o[k] !== undefined && o[k] !== '' && Number.isInteger(Number(o[k]))) ages.add(Number(o[k]));
      for (const k of ['sex', '性别']) if (typeof o[k] === 'string') sexes.add(o[k] === '女' ? 'female' : o[k] === '男' ? 'male' : (o[k] as string));
    }
    Object.values(o).forEach(walk);
  };
  answers.forEach((a) => walk(a.json));
  return { masks: [...masks], ages: [...ages], sexes: [...sexes] };
}

/**
 * How many valid ID numbers agree with what was shown: the true region (an
 * attacker knows the county anyway), each character a mask shows, the check
 * character, the sex's parity and the age today (or any working-age birth
 * date when no age was shown).
 */
function candidates(k: { masks: string[]; ages: number[]; sexes: string[] }, today: string): number {
  const region = ID_NUMBER.slice(0, 6);
  const shown = (i: number) => k.masks.map((m) => m[i]).find((c) => c !== undefined && c !== '*');
  const dates: string[] = [];
  for (let d = Date.UTC(1900, 0, 1); d <= Date.parse(today); d += 86_400_000) {
    const iso = new Date(d).toISOString().slice(0, 10);
    const age = ageOn(iso, today);
    if (k.ages.length ? k.ages.includes(age) : age >= 16) dates.push(iso);
  }
  let n = 0;
  for (const date of dates) {
    const digits = date.replace(/-/g, '');
    if ([...digits].some((c, i) => shown(6 + i) !== undefined && shown(6 + i) !== c)) continue;
    for (let seq = 0; seq < 1000; seq++) {
      if (k.sexes.length === 1 && seq % 2 !== (k.sexes[0] === 'male' ? 1 : 0)) continue;
      const first17 = `${region}${digits}${String(seq).padStart(3, '0')}`;
      const full = first17 + idNumberCheckChar(first17);
      if ([...full.slice(14)].some((c, i) => shown(14 + i) !== undefined && shown(14 + i) !== c)) continue;
      // Counting on past this proves nothing more.
      if (++n >= 100_000) return n;
    }
  }
  return n;
}

describe('the route table', () => {
  it('names every route of /openapi.json, and only those', async () => {
    const spec = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const inSpec = Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(inSpec.filter((r) => !(r in ROUTES))).toEqual([]);
    expect(Object.keys(ROUTES).filter((r) => !inSpec.includes(r))).toEqual([]);
  });
});

describe.each(Object.keys(tokens) as Role[])('everything %s can get about one person', (role) => {
  it('never holds the ID number or the birth date, and leaves at least 1,000 ID numbers possible', async () => {
    const answers = await answersOf(role);
    // Staff may reveal a number on purpose: that answer alone holds it, and it is audited apart.
    const reveals = answers.filter((a) => a.call.includes('/reveal-id-number') && a.status === 200);
    if (role === 'townStaff') {
      expect(reveals).toHaveLength(1);
      expect((reveals[0].json as { idNumber: string }).idNumber).toBe(ID_NUMBER);
      const [audit] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'laborer.reveal_id_number'`, [ids.laborerId]);
      expect(audit.n).toBeGreaterThanOrEqual(1);
    } else expect(reveals).toEqual([]);
    const seen = answers.filter((a) => !reveals.includes(a));
    // Something about the person reached every role that may read them (or nothing at all reached the grid leader).
    const about = seen.filter((a) => a.status === 200 && a.text.includes(ids.laborerId));
    if (role === 'gridLeader') expect(about).toEqual([]);
    else expect(about.length).toBeGreaterThan(3);

    const birthForms = [ID_NUMBER, ID_NUMBER.slice(6, 14), BIRTH, BIRTH.replace(/-/g, '/')];
    for (const a of seen) {
      const text = searchable(a.text);
      for (const form of birthForms) expect([a.call, text.includes(form)]).toEqual([a.call, false]);
    }
    const k = knowledge(seen);
    if (role !== 'gridLeader') expect(k.masks.length).toBeGreaterThan(0);
    expect(candidates(k, chinaDate(new Date()))).toBeGreaterThanOrEqual(1000);
  }, 120_000);
});

describe('an update naming the birth date or sex', () => {
  it('is refused the same way whatever the value, so guessing learns nothing', async () => {
    const officer = as(app, tokens.officer);
    const answer = async (data: Record<string, unknown>) => {
      const res = await officer({ method: 'POST', url: '/api/v1/sync', payload: { deviceId: 'dev-guess', ops: [op('laborer.update', ids.laborerId, data, 1)] } });
      const [r] = res.json().results;
      return { status: r.status, code: r.code, fields: r.fields, message: r.message };
    };
    const right = await answer({ birthDate: BIRTH });
    expect(right.status).toBe('rejected');
    expect(await answer({ birthDate: '1979-07-24' })).toEqual(right);
    expect(await answer({ sex: 'female' })).toEqual(await answer({ sex: 'male' }));
  });
});
