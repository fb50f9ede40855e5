import type { DataSource } from 'typeorm';

/** The worker's in-app inbox and the WeChat subscriptions they grant. */
export class InboxService {
  constructor(private readonly ds: DataSource) {}
}
