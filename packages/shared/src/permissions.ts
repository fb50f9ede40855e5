import type { Role } from './roles';

const OFFICE: readonly Role[] = ['admin', 'staff', 'officer'];
const MANAGERS: readonly Role[] = ['admin', 'staff'];

/**
 * Who may do what: THE permission table of JobBridge, and the only place that
 * answers "which roles may do X". The API enforces it once, for every route,
 * from the route's `config.permission` (apps/api/src/plugins/app/auth.ts: a
 * route that names none can't be registered); the mini-program hides what a
 * role can't do with `can()`. Where a permission applies is the other half of
 * the rule, the area (apps/api/src/access/area-scope.ts): a role that may read
 * laborers reads only those of its own area.
 */
export const PERMISSIONS = {
  /** Households, laborers, their history and visits; the officer's change feed. */
  'survey.read': OFFICE,
  /** Survey edits through sync (the only way records are written). */
  'survey.write': OFFICE,
  /** The full ID number (`POST /laborers/:id/reveal-id-number` with a reason), audited on its own. */
  'idNumber.reveal': MANAGERS,
  /** The six real-name lists and their xlsx exports. */
  'lists.read': OFFICE,
  /** The job supply list: employers, postings, monthly issues (reading); and managing them with the east-west pairs. */
  'jobs.read': ['admin', 'staff', 'officer', 'grid_leader'],
  'jobs.manage': MANAGERS,
  /** A laborer's recommendations and "311" ledger; referrals, services given, feedback recorded for them. */
  'services.read': OFFICE,
  'services.give': OFFICE,
  /** Binding codes for workers, unbinding. */
  'workerLinks.manage': OFFICE,
  /** Workers' correction requests of their area. */
  'corrections.resolve': OFFICE,
  /** Retention follow-ups (跟踪回访). */
  'followups.manage': OFFICE,
  /** People registered elsewhere: transfer cases between areas. */
  'transfers.decide': MANAGERS,
  /** Accounts of the area below one's own. */
  'accounts.manage': MANAGERS,
  'audit.read': MANAGERS,
  /** The worker's own record, recommendations and corrections. */
  'worker.self': ['worker'],
  /**
   * One's own in-app inbox (站内消息) and WeChat subscriptions: a worker's notices, and the offline reach of group
   * chats for every member (notices, @-mentions, broadcasts). Only the account's own rows (`notifications`).
   */
  'inbox.own': ['admin', 'staff', 'officer', 'grid_leader', 'worker', 'employer_contact'],
  /**
   * Invite codes that make a WeChat account the contact of an employer: staff for the employers their area manages,
   * grid leaders for the employers of their county's supply list as their grid sees it (modules/employers).
   */
  'employerContacts.invite': ['admin', 'staff', 'grid_leader'],
  /** The employer contact's own side: their employer, posting proposals, the candidates who agreed to be introduced. */
  'employer.self': ['employer_contact'],
  /**
   * Group chats (网格群) one reaches: one's groups, their history, sending, read marks, the socket, joining by
   * an invite code. Which groups: the membership rule (apps/api/src/access/personal-data.ts, the chat tables).
   */
  'chat.take_part': ['admin', 'staff', 'officer', 'grid_leader', 'worker', 'employer_contact'],
  /** Creating and running the groups of one's grid: members, mutes, admins, invite codes. */
  'chat.run': ['grid_leader'],
  /** Seeing every group of one's area and deleting messages in them (reading as a non-member is audited). */
  'chat.moderate': ['admin', 'staff', 'grid_leader'],
  /**
   * The four-level dashboard's figures of the area (counts only, no person). Not
   * grid leaders: they hold no personal-data permission, and a village's counts of
   * a few dozen people (困难劳动力 1, 返乡回流 2) say a lot about neighbours they know.
   */
  'dashboard.read': OFFICE,
  /**
   * Point-to-point chartered transport (点对点输送, modules/transport): the trips of one's county and their
   * counts; the roster rows of people of one's area (the escort: the whole roster of a trip they escort).
   */
  'transport.read': OFFICE,
  /** Creating and running trips of one's area: status, the whole roster, exports. */
  'transport.manage': MANAGERS,
  /** Putting a laborer of one's area on a trip's roster (from the suggestions or at the door) and taking them off. */
  'transport.enroll': OFFICE,
  /** Escorting a trip (an account named its escort): the manifest download and boarding check-in (sync op boarding.checkin). */
  'transport.board': OFFICE,
  /** Subsidies (补贴): rules, eligibility runs, cycles, entitlements and payments of the area (ID numbers masked). */
  'subsidies.read': OFFICE,
  /** Rules and their versions, exclusions, runs, cycles (create, 公示, refresh, cancel), the payment list and the bank's return file. */
  'subsidies.manage': MANAGERS,
  /** Objections during the village public notice (公示). */
  'subsidies.object': OFFICE,
  /** Township review (accounts of a township or above: the level is the cycle rule's, CYCLE_TRANSITIONS). */
  'subsidies.review': MANAGERS,
  /** County approval: entitlements and the cycle (accounts of a county or above). */
  'subsidies.approve': MANAGERS,
  /** Paying despite a mutual exclusion between subsidies, with a reason (audited); never a second payment of the same subsidy. */
  'subsidies.override': ['admin'],
  /**
   * Labor-rights help cases (维权) of the area: reading them (and the working-day calendar), opening one (the
   * officer from a survey need or a visit, staff) and editing its facts; handling them on the law's clock (steps,
   * extension, suspension, outcome, handler, sharing with the employer's east-west partner) is the labor
   * inspectors' (staff's). The reporter's identity (name, phone, which laborer) is masked for everyone and
   * revealed, audited, only to `rights.reporter`, in the case's own area (not the partner's): a worker who
   * complains about an employer must not be known to it; officers know their villagers, the case does not
   * need to tell them. Workers open and see their own cases under `worker.self`. Which employer of the list a
   * case may name (`employerId`, opening or editing, online or by sync) is one rule beside the area's,
   * apps/api/src/access/case-employer.ts: an office account one its area sees on the supply list, a worker
   * only the employer of a job recommended to them (anyone else in free text).
   */
  'rights.read': OFFICE,
  'rights.open': OFFICE,
  'rights.handle': MANAGERS,
  'rights.reporter': MANAGERS,
  /** The working-day calendar's holidays and make-up days (the due dates of every case follow it). */
  'calendar.manage': ['admin'],
  /**
   * Training (modules/training): courses of one's area (a course belongs to a region; read also by the accounts
   * below it), the training-needs list built from the surveys, enrollments, attendance, certificates, outcomes.
   */
  'training.read': OFFICE,
  /** Creating and changing courses of one's area, enrolling from the needs list, assessments, revoking certificates. */
  'training.manage': MANAGERS,
  /** Enrolling one laborer of one's area (the officer at the door: proposed, or with the consent recorded). */
  'training.enroll': OFFICE,
  /** Region names and trees. */
  'regions.read': ['admin', 'staff', 'officer', 'grid_leader', 'worker', 'employer_contact'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/**
 * What a route asks of its caller: a permission of the table, `signedIn` (any
 * live session: one's own account, sign-out, password), or `public` (sign-in
 * itself, health).
 */
export type RouteAccess = Permission | 'signedIn' | 'public';

/** True when `role` holds `permission`. */
export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(PERMISSIONS, value);
}

/** The answer to a role that lacks a route's permission (the same words for every route, so tests can tell it from other refusals). */
export const PERMISSION_DENIED_MESSAGE = '本账号的角色无权进行此操作';
