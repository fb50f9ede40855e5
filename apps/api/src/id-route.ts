import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RouteAccess } from '@jobbridge/shared';
import type { RequestContext } from './access/request-context';
import { errorResponses, Strict, Uuid } from './schemas';

const IdParams = Strict({ id: Uuid });
const security = [{ bearerAuth: [] }];

interface RouteSpec<Q extends TSchema | undefined, B extends TSchema | undefined, R extends TSchema> {
  access: RouteAccess;
  tags: string[];
  summary: string;
  /** The query the route reads, if any (a Strict object). */
  querystring?: Q;
  /** The body the action takes, if any (a Strict object). */
  body?: B;
  response: R;
  /** The error answers the document lists (errorResponses). */
  errors: number[];
  /** 201 (something made) instead of 200. */
  created?: boolean;
}

type StaticOf<T extends TSchema | undefined> = T extends TSchema ? Static<T> : undefined;

/** One route: bearer security, the spec's schemas and answers, the service's result sent with 200 or 201. */
function register(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  spec: RouteSpec<TSchema | undefined, TSchema | undefined, TSchema>,
  params: TSchema | undefined,
  call: (req: FastifyRequest) => Promise<unknown>,
): void {
  const status = spec.created ? 201 : 200;
  app.route({
    method,
    url,
    config: { access: spec.access },
    schema: {
      tags: spec.tags,
      security,
      summary: spec.summary,
      ...(params ? { params } : {}),
      ...(spec.querystring ? { querystring: spec.querystring } : {}),
      ...(spec.body ? { body: spec.body } : {}),
      response: { [status]: spec.response, ...errorResponses(...spec.errors) },
    },
    handler: async (req, reply) => reply.code(status).send(await call(req)),
  });
}

/**
 * The shape most routes of one thing share (`/training/enrollments/:id/withdraw`, `/transport/trips/:id/status`,
 * `/rights/cases/:id/share`...): signed in with a bearer token, `:id` a UUID, maybe a query or a body, one answer
 * and the listed errors, a service call with the request's context, the id, the body and the query. Each route
 * keeps its own access, summary, body and answer; its rules and audit stay in the service it calls.
 */
export function idRoute<B extends TSchema | undefined, R extends TSchema, Q extends TSchema | undefined = undefined>(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  spec: RouteSpec<Q, B, R>,
  handler: (ctx: RequestContext, id: string, body: StaticOf<B>, query: StaticOf<Q>) => Promise<unknown>,
): void {
  register(app, method, url, spec, IdParams, (req) => handler(req.ctx, (req.params as Static<typeof IdParams>).id, req.body as StaticOf<B>, req.query as StaticOf<Q>));
}

/** idRoute's sibling for a GET without a path parameter (a list, counts, the caller's own): the service gets the query. */
export function listRoute<R extends TSchema, Q extends TSchema | undefined = undefined>(
  app: FastifyInstance,
  url: string,
  spec: Omit<RouteSpec<Q, undefined, R>, 'body' | 'created'>,
  handler: (ctx: RequestContext, query: StaticOf<Q>) => Promise<unknown>,
): void {
  register(app, 'GET', url, spec, undefined, (req) => handler(req.ctx, req.query as StaticOf<Q>));
}

/** idRoute's sibling for a write without a path parameter (`POST /transport/trips`): the service gets the body. */
export function bodyRoute<B extends TSchema, R extends TSchema>(
  app: FastifyInstance,
  method: 'POST' | 'PUT' | 'PATCH',
  url: string,
  spec: Omit<RouteSpec<undefined, B, R>, 'querystring'> & { body: B },
  handler: (ctx: RequestContext, body: Static<B>) => Promise<unknown>,
): void {
  register(app, method, url, spec, undefined, (req) => handler(req.ctx, req.body as Static<B>));
}
