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
  }
}

/** Domain services, one instance each per app. */
export default fp(
  async function servicesPlugin(app: FastifyInstance) {
    app.decorate('accountsService', new AccountsService(app.db));
    app.decorate('auditService', new AuditService(app.db));
    app.decorate('regionsService', new RegionsService(app.db));
    const { keys, activeKeyId, indexKey } = app.config.pii;
    const cipher = new PiiCipher(keys, activeKeyId, indexKey);
    app.decorate('piiCipher', cipher);
    app.decorate('surveyService', new SurveyService(app.db, cipher));
    app.decorate('listsService', new ListsService(app.db, cipher));
    app.decorate('syncService', new SyncService(app.db, cipher));
    app.decorate('transfersService', new TransfersService(app.db));
  },
  { name: 'services', dependencies: ['db'] },
);
