import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config';
import type { WeChatClient } from '../../wechat/wechat-client';
import type { JobQueue } from '../queue/job-queue';

/** The notification outbox: in-app inbox entries, and WeChat subscribe messages sent once each with retries. */
export class NotificationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly wechat: WeChatClient,
    private readonly config: AppConfig,
    private readonly queue: JobQueue,
  ) {}
}
