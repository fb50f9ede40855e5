import type { DataSource } from 'typeorm';
import type { PiiCipher } from '../../crypto/pii';
import type { FollowupsService } from '../followups/followups.service';
import type { NotificationsService } from '../notifications/notifications.service';
import type { RecommendationTriggers } from './triggers';

/** Recommendations per seeker: matching runs, feedback, referrals by hand, the "311" ledger. */
export class RecommendationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly cipher: PiiCipher,
    private readonly notifications: NotificationsService,
    private readonly followups: FollowupsService,
    private readonly triggers: RecommendationTriggers,
  ) {}
}
