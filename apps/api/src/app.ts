import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaCompiler, FastifyServerOptions, LogController } from 'fastify';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import { CHAT_LIMITS } from '@jobbridge/shared';
import type { DataSource } from 'typeorm';
import type { AppConfig } from './config';
import { AppError } from './errors';
import { safeLogOptions } from './log-safety';
import { prettyFactory } from 'pino-pretty';
import { ErrorResponse } from './schemas';
import { openapiOptions } from './openapi';
import dbPlugin from './plugins/app/db';
import errorsPlugin from './plugins/app/errors';
import authPlugin from './plugins/app/auth';
import servicesPlugin from './plugins/app/services';
import healthRoutes from './modules/health/health.routes';
import authRoutes from './modules/auth/auth.routes';
import accountsRoutes from './modules/accounts/accounts.routes';
import regionsRoutes from './modules/regions/regions.routes';
import auditRoutes from './modules/audit/audit.routes';
import surveyRoutes from './modules/survey/survey.routes';
import syncRoutes from './modules/sync/sync.routes';
import transfersRoutes from './modules/transfers/transfers.routes';
import listsRoutes from './modules/lists/lists.routes';
import jobsRoutes from './modules/jobs/jobs.routes';
import workersRoutes from './modules/workers/workers.routes';
import inboxRoutes from './modules/notifications/inbox.routes';
import recommendationsRoutes from './modules/recommendations/recommendations.routes';
import followupsRoutes from './modules/followups/followups.routes';
import subsidiesRoutes from './modules/subsidies/subsidies.routes';
import chatRoutes from './modules/chat/chat.routes';
import dashboardRoutes from './modules/dashboard/dashboard.routes';
import employersRoutes from './modules/employers/employers.routes';
import transportRoutes from './modules/transport/transport.routes';
import rightsRoutes from './modules/rights/rights.routes';
import trainingRoutes from './modules/training/training.routes';
import certificateVerifyPage from './modules/training/verify-page';
import queuePlugin from './plugins/app/queue';
import jobWorkersPlugin from './plugins/app/job-workers';
import chatHubPlugin from './plugins/app/chat-hub';
import { HttpWeChatClient, LocalWeChatClient, WeChatClient } from './wechat/wechat-client';

export interface BuildAppOptions {
  config: AppConfig;
  /** Initialised and migrated. The app does not own it and does not close it. */
  dataSource: DataSource;
  /** Defaults to the client WECHAT_MODE names. */
  wechat?: WeChatClient;
  /** pino options, or false to stay silent (tests). */
  logger?: FastifyServerOptions['logger'];
  /** Where the configured logger writes (default stdout): tests read the log lines from it. */
  logStream?: { write(line: string): void };
}

/**
 * The whole API as one Fastify instance. Boot order: external plugins
 * (security headers, CORS, rate limit, OpenAPI), then app plugins (config and
 * database, errors, auth, services), then routes under /api/v1, then the staff console at /console/
 * and the H5 app at /.
 */
export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = opts;
  const app = Fastify({
    logger: opts.logger ?? loggerOptions(config, opts.logStream),
    // In development (npm start) one short line per API request: Fastify's two JSON lines per request buried the banner.
    ...(config.nodeEnv === 'development' ? { logController: new OneLineRequestLog() } : {}),
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    // Replicas starting together take turns installing the job queue (job-queue.ts): a wait, not a hang.
    pluginTimeout: 120_000,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler());

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  // External plugins
  const h5Index = path.join(config.h5Dir, 'index.html');
  const hasH5 = fs.existsSync(h5Index);
  const consoleIndex = path.join(config.consoleDir, 'index.html');
  const hasConsole = fs.existsSync(consoleIndex);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Taro's H5 page sets its root font size in an inline script: allow exactly that script, by hash.
        // The console's page (Vite) has none today; should a build add one, its hash comes along.
        scriptSrc: [
          "'self'",
          ...(hasH5 ? inlineScriptHashes(fs.readFileSync(h5Index, 'utf8')) : []),
          ...(hasConsole ? inlineScriptHashes(fs.readFileSync(consoleIndex, 'utf8')) : []),
        ],
        // Taro's H5 and Ant Design (CSS-in-JS, in the console) both write <style> elements at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        // The H5 build's service worker (sw.js), from this origin only.
        workerSrc: ["'self'"],
        // 打电话问问 in H5 opens tel: in a hidden frame (services/phone.ts); no other frame is loaded.
        frameSrc: ["'self'", 'tel:'],
        // Added below only when the page came over https: over plain http (the demo opened at the
        // machine's LAN address) it would turn every script and style request into https and blank the page.
        upgradeInsecureRequests: null,
      },
    },
  });
  app.addHook('onRequest', async (req, reply) => {
    // req.protocol honours X-Forwarded-Proto from a trusted proxy only (TRUST_PROXY).
    if (req.protocol !== 'https') return;
    const csp = reply.getHeader('content-security-policy');
    if (typeof csp === 'string') reply.header('content-security-policy', `${csp};upgrade-insecure-requests`);
  });
  await app.register(cors, { origin: config.corsOrigins.length ? config.corsOrigins : false, credentials: false });
  await app.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    errorResponseBuilder: () => new AppError('RATE_LIMITED'),
  });
  // Group chats' socket (/api/v1/chat/socket); registered before every route, as the plugin asks.
  await app.register(websocket, { options: { maxPayload: CHAT_LIMITS.frameMaxBytes } });
  app.addSchema(ErrorResponse);
  await app.register(swagger, openapiOptions);
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // App plugins
  await app.register(dbPlugin, { config, dataSource: opts.dataSource });
  await app.register(errorsPlugin);
  const wechat = opts.wechat ?? wechatClientFor(config);
  await app.register(authPlugin, { wechat });
  await app.register(queuePlugin);
  await app.register(servicesPlugin, { wechat });
  await app.register(jobWorkersPlugin);
  await app.register(chatHubPlugin);

  // Routes
  await app.register(healthRoutes);
  await app.register(certificateVerifyPage);
  await app.register(
    async (api) => {
      await api.register(authRoutes);
      await api.register(accountsRoutes);
      await api.register(regionsRoutes);
      await api.register(auditRoutes);
      await api.register(syncRoutes);
      await api.register(surveyRoutes);
      await api.register(transfersRoutes);
      await api.register(listsRoutes);
      await api.register(jobsRoutes);
      await api.register(workersRoutes);
      await api.register(inboxRoutes);
      await api.register(recommendationsRoutes);
      await api.register(followupsRoutes);
      await api.register(chatRoutes);
      await api.register(dashboardRoutes);
      await api.register(employersRoutes);
      await api.register(transportRoutes);
      await api.register(subsidiesRoutes);
      await api.register(rightsRoutes);
      await api.register(trainingRoutes);
    },
    { prefix: '/api/v1' },
  );

  // The staff console (apps/console, built by Vite with base /console/), served at /console/. Registered
  // before the H5 app: its files are routes of their own, and every other /console/ path that is not a
  // file gets the console's index.html (the client-side router draws the page), /console/assets/ excepted,
  // which 404s rather than answer a missing script with HTML.
  if (hasConsole) {
    await app.register(fastifyStatic, {
      root: config.consoleDir,
      prefix: '/console/',
      wildcard: false,
      decorateReply: false,
      setHeaders: (reply, file) => {
        reply.header('cache-control', file.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
      },
    });
    const consolePage = (_req: FastifyRequest, reply: FastifyReply) =>
      reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(fs.createReadStream(consoleIndex));
    app.get('/console', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/console/'));
    app.get('/console/*', { schema: { hide: true } }, async (req, reply) => {
      if (req.url.startsWith('/console/assets/')) return reply.code(404).type('text/plain; charset=utf-8').send('Not Found');
      return consolePage(req, reply);
    });
  } else {
    app.get('/console/*', { schema: { hide: true } }, async (_req, reply) =>
      reply.code(503).type('text/html; charset=utf-8').send('<p>工作台尚未构建：请运行 <code>npm run build</code>（npm start 会自动构建）。</p>'),
    );
  }

  // The mini-program's H5 build, served at /
  if (hasH5) {
    await app.register(fastifyStatic, {
      root: config.h5Dir,
      prefix: '/',
      wildcard: false,
      setHeaders: (reply, file) => {
        // The page and its service worker keep their names from build to build: revalidated on every load,
        // so a new build reaches the phone; everything else has a content hash in its name.
        const fresh = file.endsWith('.html') || path.basename(file) === 'sw.js';
        reply.header('cache-control', fresh ? 'no-cache' : 'public, max-age=31536000, immutable');
      },
    });
  } else {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.code(503).type('text/html; charset=utf-8').send('<p>小程序 H5 尚未构建：请运行 <code>npm run build</code>（npm start 会自动构建）。</p>'),
    );
  }
  return app;
}

/**
 * Two Ajv instances: bodies are JSON and must carry the right types (a number
 * where a string belongs is an error, not silently converted), while query
 * strings and path parameters are text and are coerced. Neither strips unknown
 * fields: the schemas reject them, naming the field.
 */
function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const base = { removeAdditional: false, allErrors: true, useDefaults: true, strict: false } as const;
  const body = addFormats(new Ajv({ ...base, coerceTypes: false }));
  const text = addFormats(new Ajv({ ...base, coerceTypes: 'array' }));
  return ({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema as object);
}

/** CSP source expressions for each inline <script> of a page. */
function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)]
    .filter((m) => m[1].length > 0)
    .map((m) => `'sha256-${crypto.createHash('sha256').update(m[1]).digest('base64')}'`);
}

function wechatClientFor(config: AppConfig): WeChatClient {
  return config.wechat.mode === 'real' ? new HttpWeChatClient(config.wechat.appId!, config.wechat.secret!) : new LocalWeChatClient();
}

/**
 * Logs carry request ids, routes and timings, never personal data: the query
 * string (which may hold a name) is cut off, bodies and headers are never
 * logged, and errors keep only fields that cannot hold data (log-safety.ts:
 * a database error loses its SQL, parameters, detail and the values in its message).
 */
function loggerOptions(config: AppConfig, stream?: BuildAppOptions['logStream']): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    ...(config.nodeEnv === 'development' ? { stream: readableLog(stream) } : stream ? { stream } : {}),
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    hooks: safeLogOptions.hooks,
    serializers: {
      ...safeLogOptions.serializers,
      req: (req: { method: string; url: string; ip?: string; id?: string }) => ({ method: req.method, url: req.url.split('?')[0] }),
    },
  };
}

/**
 * Development: "GET /api/v1/me 200 4 ms" once a request is answered, for API requests only (not the
 * H5 app's files); the path without its query, which may hold a name; a failed request at error level.
 */
class OneLineRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    if (!error && !req.url.startsWith('/api/')) return;
    const line = `${req.method} ${req.url.split('?')[0]} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms`;
    if (error) reply.log.error({ err: error }, line);
    else reply.log.info(line);
  }
}

/**
 * Development (the demo of npm start): each log entry as one short line ("[12:00:01] INFO: GET
 * /api/v1/me 200 4 ms"), formatted in-process by pino-pretty. Production and tests keep JSON lines.
 */
function readableLog(stream?: BuildAppOptions['logStream']): { write(line: string): void } {
  const out = stream ?? process.stdout;
  const pretty = prettyFactory({ colorize: !stream && process.stdout.isTTY === true, singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,reqId' });
  return { write: (line) => void out.write(pretty(line)) };
}
