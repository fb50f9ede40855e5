import type { Role } from '@jobbridge/shared';

/** Page paths as Taro navigation wants them (leading slash). They must match app.config.ts. */
export const LOGIN_ROUTE = '/pages/login/index';

/** Where each role lands after signing in. Admin shares the staff home: both manage accounts. */
export const HOME_ROUTES: Record<Role, string> = {
  admin: '/pages/staff/index',
  staff: '/pages/staff/index',
  officer: '/pages/officer/index',
  grid_leader: '/pages/grid/index',
  worker: '/pages/worker/index',
  employer_contact: '/pages/employer/index',
};

export function homeRouteFor(role: Role): string {
  return HOME_ROUTES[role];
}

/** The roles allowed on a home page; the others are sent to their own home. */
export function rolesForRoute(route: string): Role[] {
  return (Object.keys(HOME_ROUTES) as Role[]).filter((role) => HOME_ROUTES[role] === route);
}

/** Pages of the household survey (subpackage `pages/survey`, officers only). */
export const SURVEY_ROUTES = {
  area: '/pages/survey/area/index',
  household: '/pages/survey/household/index',
  householdEdit: '/pages/survey/household-edit/index',
  laborer: '/pages/survey/laborer/index',
  sync: '/pages/survey/sync/index',
  attention: '/pages/survey/attention/index',
} as const;

/** The worker's pages beyond the home (subpackage `pages/jobs`, workers only). */
export const JOBS_ROUTES = {
  detail: '/pages/jobs/detail/index',
  record: '/pages/jobs/record/index',
  correction: '/pages/jobs/correction/index',
  bind: '/pages/jobs/bind/index',
} as const;

/** 消息: every signed-in account's inbox (subpackage `pages/inbox`), linked from each role's home with its unread count. */
export const INBOX_ROUTE = '/pages/inbox/index';

/** The officer's employment services for one laborer (in the survey subpackage; online only). */
export const SERVICES_ROUTE = '/pages/survey/services/index';

/** The services page of one laborer; the name is shown while the page loads. */
export function servicesRoute(laborerId: string, name: string): string {
  return `${SERVICES_ROUTE}?id=${encodeURIComponent(laborerId)}&name=${encodeURIComponent(name)}`;
}

/** The employer contact's pages beyond the home (subpackage `pages/employer`); `bind` is where a WeChat user redeems an employer invite code. */
export const EMPLOYER_ROUTES = {
  propose: '/pages/employer/propose/index',
  bind: '/pages/employer/bind/index',
} as const;

/** Point-to-point transport (subpackage `pages/transport`): the escort's offline boarding, the worker's seat and sign-up, the employer contact's handover. */
export const TRANSPORT_ROUTES = {
  escort: '/pages/transport/escort/index',
  mine: '/pages/transport/mine/index',
  handover: '/pages/transport/handover/index',
} as const;

/** Training (subpackage `pages/training`): the officer's courses, roster with offline attendance and enrolling at the door; the worker's courses and certificates. */
export const TRAINING_ROUTES = {
  officer: '/pages/training/officer/index',
  enroll: '/pages/training/enroll/index',
  mine: '/pages/training/mine/index',
} as const;

/** Subsidies (subpackage `pages/subsidies`): the worker's own, the officer's village 公示 list with objections. */
export const SUBSIDY_ROUTES = {
  mine: '/pages/subsidies/mine/index',
  notice: '/pages/subsidies/notice/index',
} as const;

/** Labor-rights help (subpackage `pages/rights`): the worker's 我要求助 and own cases; the officer's area cases, opening one, a case's offline edits. */
export const RIGHTS_ROUTES = {
  help: '/pages/rights/help/index',
  officer: '/pages/rights/officer/index',
  open: '/pages/rights/open/index',
  case: '/pages/rights/case/index',
} as const;

/** The officer's opening of a rights case for a laborer of the survey, from a survey need or a visit (the case's source). */
export function openCaseRoute(laborerId: string, name: string, source: 'survey' | 'visit'): string {
  return `${RIGHTS_ROUTES.open}?laborerId=${encodeURIComponent(laborerId)}&name=${encodeURIComponent(name)}&source=${source}`;
}
