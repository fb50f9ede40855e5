import { Region } from '../modules/regions/region.entity';
import { Account } from '../modules/accounts/account.entity';
import { Session } from '../modules/auth/session.entity';
import { LoginAttempt } from '../modules/auth/login-attempt.entity';
import { AuditEvent } from '../modules/audit/audit-event.entity';

/** Every entity, listed by hand so the compiled app and the tests load the same set. */
export const ENTITIES = [Region, Account, Session, LoginAttempt, AuditEvent];
