import type { DataSource } from 'typeorm';
import type { PiiCipher } from '../../crypto/pii';

/** Retention follow-up visits (跟踪回访) after a hire. */
export class FollowupsService {
  constructor(
    private readonly ds: DataSource,
    private readonly cipher: PiiCipher,
  ) {}
}
