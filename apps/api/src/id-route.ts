import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { RouteAccess } from '@jobbridge/shared';
import type { RequestContext } from './access/request-context';
import { errorResponses, Strict, Uuid } from './schemas';

const IdParams = Strict({ id: Uuid });
const security = [{ bearerAuth: [] }];

interface IdRouteSpec<B extends TSchema | undefined, R extends TSchema> {
  access: RouteAccess;
  tags: string[];
  summary: string;
  /** The body the action takes, if any (a Strict object). */
  body?: B;
  response: R;
  /** The error answers the document lists (errorResponses). */
  errors: number[];
  /** 201 (something made) instead of 200. */
  created?: boolean;
}

type BodyOf<B extends TSchema | undefined> = B extends TSchema ? Static<B> : undefined;

/**
 * The shape most routes of one thing share (`/training/enrollments/:id/withdraw`, `/transport/trips/:id/status`,
 * `/rights/cases/:id/share`...): signed in with a bearer token, `:id` a UUID, maybe a body, one answer and the
 * listed errors, a service call with the request's context, the id and the body. Each route keeps its own
 * access, summary, body and answer; its rules and audit stay in the service it calls.
 */
export function idRoute<B extends TSchema | undefined, R extends TSchema>(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  spec: IdRouteSpec<B, R>,
  handler: (ctx: RequestContext, id: string, body: BodyOf<B>) => Promise<unknown>,
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
      params: IdParams,
      ...(spec.body ? { body: spec.body } : {}),
      response: { [status]: spec.response, ...errorResponses(...spec.errors) },
    },
    handler: async (req, reply) => reply.code(status).send(await handler(req.ctx, (req.params as Static<typeof IdParams>).id, req.body as BodyOf<B>)),
  });
}
