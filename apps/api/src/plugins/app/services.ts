import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AccountsService } from '../../modules/accounts/accounts.service';
import { AuditService } from '../../modules/audit/audit.service';
import { ListsService } from '../../modules/lists/lists.service';
import { RegionsService } from '../../modules/regions/regions.service';
import { PiiCipher } from '../../crypto/pii';
import { SurveyService } from '../../modules/survey/survey.service';
import { SyncService } from '../../modules/sync/sync.service';
import { TransfersService } from '../../modules/transfers/transfers.service';
import { JobsService } from '../../modules/jobs/jobs.service';
import { WorkersService } from '../../modules/workers/workers.service';
import { InboxService } from '../../modules/notifications/inbox.service';
import { NotificationsService, subscribeTemplateIds } from '../../modules/notifications/notifications.service';
import { RecommendationsService } from '../../modules/recommendations/recommendations.service';
import { RecommendationTriggers } from '../../modules/recommendations/triggers';
import { AwaitingContactService } from '../../modules/recommendations/awaiting-contact';
import { FollowupsService } from '../../modules/followups/followups.service';
import { ChatService } from '../../modules/chat/chat.service';
import { DashboardService } from '../../modules/dashboard/dashboard.service';
import { EmployersService } from '../../modules/employers/employers.service';
import { TransportService } from '../../modules/transport/transport.service';
import { SubsidiesService } from '../../modules/subsidies/subsidies.service';
import { RightsService } from '../../modules/rights/rights.service';
import { TrainingService } from '../../modules/training/training.service';
import type { WeChatClient } from '../../wechat/wechat-client';

declare module 'fastify' {
  interface FastifyInstance {
    accountsService: AccountsService;
    auditService: AuditService;
    listsService: ListsService;
    regionsService: RegionsService;
    piiCipher: PiiCipher;
    surveyService: SurveyService;
    syncService: SyncService;
    transfersService: TransfersService;
    jobsService: JobsService;
    workersService: WorkersService;
    inboxService: InboxService;
    notificationsService: NotificationsService;
    recommendationsService: RecommendationsService;
    recommendationTriggers: RecommendationTriggers;
    awaitingContactService: AwaitingContactService;
    followupsService: FollowupsService;
    chatService: ChatService;
    dashboardService: DashboardService;
    employersService: EmployersService;
    transportService: TransportService;
    subsidiesService: SubsidiesService;
    rightsService: RightsService;
    trainingService: TrainingService;
    wechat: WeChatClient;
  }
}

/** Domain services, one instance each per app. */
export default fp(
  async function servicesPlugin(app: FastifyInstance, opts: { wechat: WeChatClient }) {
    app.decorate('accountsService', new AccountsService(app.db));
    app.decorate('auditService', new AuditService(app.db));
    app.decorate('regionsService', new RegionsService(app.db));
    const { keys, activeKeyId, indexKey } = app.config.pii;
    const cipher = new PiiCipher(keys, activeKeyId, indexKey);
    app.decorate('piiCipher', cipher);
    app.decorate('surveyService', new SurveyService(app.db, cipher));
    app.decorate('listsService', new ListsService(app.db, cipher, app.config.exports, app.config.listCountCap, app.dbRead));
    const triggers = new RecommendationTriggers(app.queue);
    app.decorate('recommendationTriggers', triggers);
    const sync = new SyncService(app.db, cipher, triggers, app.config.syncIdMatchesPerDay);
    app.decorate('syncService', sync);
    app.decorate('transfersService', new TransfersService(app.db));
    app.decorate('wechat', opts.wechat);
    const notifications = new NotificationsService(app.db, opts.wechat, app.config, app.queue);
    app.decorate('notificationsService', notifications);
    const followups = new FollowupsService(app.db, triggers);
    app.decorate('followupsService', followups);
    app.decorate('recommendationsService', new RecommendationsService(app.db, notifications, followups));
    app.decorate('awaitingContactService', new AwaitingContactService(app.db));
    const jobs = new JobsService(app.db, triggers);
    app.decorate('jobsService', jobs);
    app.decorate('employersService', new EmployersService(app.db, cipher, jobs, app.authService, notifications));
    app.decorate('workersService', new WorkersService(app.db, cipher, notifications));
    app.decorate('chatService', new ChatService(app.db, cipher, { notifications, queue: app.queue, offlineSeconds: app.config.chatOfflineSeconds }));
    app.decorate('dashboardService', new DashboardService(app.db, app.dbRead));
    app.decorate('transportService', new TransportService(app.db));
    app.decorate('subsidiesService', new SubsidiesService(app.db, cipher));
    const rights = new RightsService(app.db, notifications);
    sync.rights = rights;
    app.decorate('rightsService', rights);
    const training = new TrainingService(app.db, cipher, app.listsService, triggers);
    sync.training = training;
    app.decorate('trainingService', training);
    app.decorate('inboxService', new InboxService(app.db, subscribeTemplateIds(app.config)));
  },
  { name: 'services', dependencies: ['db', 'queue'] },
);
