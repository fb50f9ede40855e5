import type { DataSource } from 'typeorm';
import type { PiiCipher } from '../../crypto/pii';

/** The worker's own side: binding to their record, viewing it, asking for corrections. */
export class WorkersService {
  constructor(
    private readonly ds: DataSource,
    private readonly cipher: PiiCipher,
  ) {}
}
