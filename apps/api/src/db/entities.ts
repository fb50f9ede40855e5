import { Region } from '../modules/regions/region.entity';
import { Account } from '../modules/accounts/account.entity';
import { Session } from '../modules/auth/session.entity';
import { LoginAttempt } from '../modules/auth/login-attempt.entity';
import { AuditEvent } from '../modules/audit/audit-event.entity';
import { Household } from '../modules/survey/household.entity';
import { Laborer } from '../modules/survey/laborer.entity';
import { Visit } from '../modules/survey/visit.entity';
import { RecordChange } from '../modules/survey/record-change.entity';
import { SyncOp } from '../modules/sync/sync-op.entity';
import { SyncChange } from '../modules/sync/sync-change.entity';
import { TransferCase } from '../modules/transfers/transfer-case.entity';

/** Every entity, listed by hand so the compiled app and the tests load the same set. */
export const ENTITIES = [Region, Account, Session, LoginAttempt, AuditEvent, Household, Laborer, Visit, RecordChange, SyncOp, SyncChange, TransferCase];
