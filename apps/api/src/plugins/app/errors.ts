import type { IncomingMessage } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { ERROR_CODES, ErrorBody } from '@jobbridge/shared';
import { AppError } from '../../errors';
import { fieldsFromAjv, validationSummary } from '../../validation';

/** Fastify's own 4xx errors that mean "the request was malformed", with what to tell the user. */
const CLIENT_ERRORS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: '请求内容不是合法的 JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: '请求内容为空',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: '不支持的请求内容类型，请使用 application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: '请求内容过大',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: '请求长度不正确',
};

/**
 * One error shape for everything: `{ error: { code, message, fields? } }`.
 * 4xx carry a Chinese message for users; 5xx are logged with the request id
 * and answered without internals.
 */
export default fp(
  async function errorsPlugin(app: FastifyInstance) {
    app.setErrorHandler(async (err: FastifyError | AppError | Error, req, reply) => {
      if (err instanceof AppError) return reply.code(err.statusCode).headers(err.headers ?? {}).send(err.toBody());
      const fe = err as FastifyError;
      if (fe.validation) {
        const fields = fieldsFromAjv(fe.validation, fe.validationContext);
        const part = fe.validationContext ?? 'body';
        const schemas = req.routeOptions.schema as Record<string, unknown> | undefined;
        const schema = schemas?.[part] ?? (part === 'querystring' ? schemas?.query : undefined);
        const summary = validationSummary(fields, part, schema);
        return reply.code(400).send(body('VALIDATION_FAILED', `${ERROR_CODES.VALIDATION_FAILED}：${summary}`, fields));
      }
      if (fe.statusCode === 429) return reply.code(429).send(body('RATE_LIMITED'));
      if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        // Read the rest first: answering and closing with the body still arriving resets the
        // connection, and a proxy still sending it then answers 502 instead of this.
        await drain(req.raw);
        return reply.code(413).send(body('VALIDATION_FAILED', `${CLIENT_ERRORS[fe.code]}：此接口最多接受 ${formatBytes(req.routeOptions.bodyLimit)}`));
      }
      if (fe.code && CLIENT_ERRORS[fe.code]) return reply.code(fe.statusCode ?? 400).send(body('VALIDATION_FAILED', CLIENT_ERRORS[fe.code]));
      if (fe.code?.startsWith('FST_JWT_')) return reply.code(401).send(body('UNAUTHENTICATED'));
      if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
        req.log.info({ err: { code: fe.code, statusCode: fe.statusCode } }, 'client error');
        return reply.code(fe.statusCode).send(body('VALIDATION_FAILED', fe.statusCode === 404 ? ERROR_CODES.NOT_FOUND : ERROR_CODES.VALIDATION_FAILED));
      }
      if (isDatabaseDown(err)) {
        req.log.error({ err }, 'database unavailable');
        return reply.code(503).send(body('SERVICE_UNAVAILABLE'));
      }
      req.log.error({ err }, 'unhandled error');
      return reply.code(500).send(body('INTERNAL'));
    });

    app.setNotFoundHandler((req, reply) => {
      reply.code(404).send(body('NOT_FOUND', `没有这个接口：${req.method} ${req.url.split('?')[0]}`));
    });
  },
  { name: 'errors' },
);

function body(code: keyof typeof ERROR_CODES, message?: string, fields?: Record<string, string>): ErrorBody {
  return { error: { code, message: message ?? ERROR_CODES[code], ...(fields ? { fields } : {}) } };
}

/** More than nginx passes on (10 MB): a body beyond this is not read to its end. */
const DRAIN_LIMIT = 16 * 1_048_576;

/** Reads and drops what is left of a request body, up to DRAIN_LIMIT. */
function drain(raw: IncomingMessage): Promise<void> {
  if (raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      raw.off('data', onData);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > DRAIN_LIMIT) done();
    };
    raw.on('data', onData);
    raw.once('end', done);
    raw.once('close', done);
    raw.once('error', done);
    raw.resume();
  });
}

/** 5 MB, 512 KB: a body limit as users read it. */
function formatBytes(bytes: number): string {
  const mb = bytes / 1_048_576;
  return mb >= 1 ? `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

function isDatabaseDown(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001'].includes(code) ||
    (err instanceof Error && /Connection terminated|timeout exceeded when trying to connect/i.test(err.message)) ||
    (err instanceof QueryFailedError && ['57P01', '57P03'].includes(code))
  );
}
