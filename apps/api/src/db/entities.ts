import { Region } from '../modules/regions/region.entity';
import { Account } from '../modules/accounts/account.entity';
import { Session } from '../modules/auth/session.entity';
import { LoginAttempt } from '../modules/auth/login-attempt.entity';
import { LoginLockout } from '../modules/auth/login-lockout.entity';
import { AuditEvent } from '../modules/audit/audit-event.entity';
import { Household } from '../modules/survey/household.entity';
import { Laborer } from '../modules/survey/laborer.entity';
import { Visit } from '../modules/survey/visit.entity';
import { RecordChange } from '../modules/survey/record-change.entity';
import { SyncOp } from '../modules/sync/sync-op.entity';
import { SyncChange } from '../modules/sync/sync-change.entity';
import { TransferCase } from '../modules/transfers/transfer-case.entity';
import { Employer } from '../modules/jobs/employer.entity';
import { PostingRow } from '../modules/jobs/posting.entity';
import { PostingIssue } from '../modules/jobs/posting-issue.entity';
import { CooperationPair } from '../modules/jobs/cooperation-pair.entity';
import { RecommendationRow } from '../modules/recommendations/recommendation.entity';
import { RecommendationEvent } from '../modules/recommendations/recommendation-event.entity';
import { ServiceRecord } from '../modules/recommendations/service-record.entity';
import { NotificationRow } from '../modules/notifications/notification.entity';
import { WeChatSubscription } from '../modules/notifications/wechat-subscription.entity';
import { Followup } from '../modules/followups/followup.entity';
import { WorkerLink } from '../modules/workers/worker-link.entity';
import { BindingCode } from '../modules/workers/binding-code.entity';
import { BindingAttempt } from '../modules/workers/binding-attempt.entity';
import { CorrectionRequest } from '../modules/workers/correction-request.entity';
import { IdNumberMatch } from '../modules/sync/id-number-match.entity';
import { ChatGroup } from '../modules/chat/chat-group.entity';
import { ChatMember } from '../modules/chat/chat-member.entity';
import { ChatEventRow } from '../modules/chat/chat-event.entity';
import { ChatBroadcast, ChatBroadcastGroup } from '../modules/chat/chat-broadcast.entity';
import { EmployerContact } from '../modules/employers/employer-contact.entity';
import { EmployerInvite } from '../modules/employers/employer-invite.entity';
import { PostingProposal } from '../modules/employers/posting-proposal.entity';
import { Trip } from '../modules/transport/trip.entity';
import { TripPassenger } from '../modules/transport/trip-passenger.entity';
import { SubsidyCycle, SubsidyEntitlement, SubsidyExclusion, SubsidyObjection, SubsidyPayment, SubsidyRule, SubsidyRuleVersion, SubsidyRun, SubsidyRunCandidate } from '../modules/subsidies/subsidy.entity';
import { RightsAlert, RightsCase, RightsCaseEvent, WorkingCalendarDay } from '../modules/rights/rights.entity';
import { Course } from '../modules/training/course.entity';
import { Enrollment } from '../modules/training/enrollment.entity';
import { Attendance } from '../modules/training/attendance.entity';
import { Certificate, CertificateSerial } from '../modules/training/certificate.entity';

/** Every entity, listed by hand so the compiled app and the tests load the same set. */
export const ENTITIES = [
  Region, Account, Session, LoginAttempt, LoginLockout, AuditEvent, Household, Laborer, Visit, RecordChange, SyncOp, SyncChange, TransferCase,
  Employer, PostingRow, PostingIssue, CooperationPair, RecommendationRow, RecommendationEvent, ServiceRecord,
  NotificationRow, WeChatSubscription, Followup, WorkerLink, BindingCode, BindingAttempt, CorrectionRequest, IdNumberMatch,
  ChatGroup, ChatMember, ChatEventRow, ChatBroadcast, ChatBroadcastGroup, EmployerContact, EmployerInvite, PostingProposal,
  Trip, TripPassenger,
  SubsidyRule, SubsidyRuleVersion, SubsidyExclusion, SubsidyRun, SubsidyRunCandidate, SubsidyCycle, SubsidyEntitlement, SubsidyObjection, SubsidyPayment,
  WorkingCalendarDay, RightsCase, RightsCaseEvent, RightsAlert,
  Course, Enrollment, Attendance, Certificate, CertificateSerial,
];
