import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AccountsService } from '../../modules/accounts/accounts.service';
import { AuditService } from '../../modules/audit/audit.service';
import { RegionsService } from '../../modules/regions/regions.service';

declare module 'fastify' {
  interface FastifyInstance {
    accountsService: AccountsService;
    auditService: AuditService;
    regionsService: RegionsService;
  }
}

/** Domain services, one instance each per app. */
export default fp(
  async function servicesPlugin(app: FastifyInstance) {
    app.decorate('accountsService', new AccountsService(app.db));
    app.decorate('auditService', new AuditService(app.db));
    app.decorate('regionsService', new RegionsService(app.db));
  },
  { name: 'services', dependencies: ['db'] },
);
