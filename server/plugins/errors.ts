// Errors are values at the edges: bad input → 400 with the problems found,
// the store unreachable → 503, anything else → 500 with no internals. Always a log line.
import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { refuse } from '../http/reply.ts';

const FRAMEWORK_MESSAGES: Record<number, string> = {
  400: '请求格式有误',
  413: '请求内容过大',
  414: '请求地址过长',
  415: '不支持的内容类型',
  431: '请求头过大',
};

function isStoreDown(err: unknown): boolean {
  const text = err instanceof Error ? `${err.name} ${err.message}` : '';
  // StoreUnavailableError: a write no replica confirmed in time; NOREPLICAS, READONLY, MASTERDOWN: Redis refused it during a failover;
  // ECONNRESET, EPIPE, 'Command aborted' (a pipeline cut by the lost connection): its process died under a
  // command; LOADING: it is reading its data back after a restart.
  return /ECONNREFUSED|ECONNRESET|EPIPE|Command aborted|LOADING|Connection is closed|MaxRetriesPerRequest|Stream isn't writeable|ETIMEDOUT|ENOTFOUND|StoreUnavailableError|NOREPLICAS|READONLY|MASTERDOWN|All sentinels are unreachable/.test(
    text,
  );
}

export default fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      if (hasZodFastifySchemaValidationErrors(err)) {
        const issues = err.validation.map((v) => ({
          path: `${err.validationContext ?? ''}${v.instancePath.replaceAll('/', '.')}`,
          message: v.message ?? 'invalid',
        }));
        request.log.info({ issues }, 'rejected bad input');
        // A rule worded for people (in Chinese, in the schema) is said in the message itself.
        const worded = issues.find((i) => /\p{Script=Han}/u.test(i.message));
        return refuse(reply, { error: 'bad-request', message: worded ? `输入有误: ${worded.message}` : '输入有误 (invalid input)', issues });
      }
      if (isStoreDown(err)) {
        request.log.error({ err }, 'store unreachable');
        return refuse(reply, 'store-unavailable', '数据存储不可用，请稍后重试 (store unavailable)');
      }
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      if (status >= 500) {
        request.log.error({ err }, 'request failed');
        return refuse(reply, 'internal', '服务器内部错误 (internal error)');
      }
      request.log.info({ err: err.message }, 'client error');
      // Fastify's own refusals (bad JSON, too large, wrong type) in the board's words too.
      let worded = FRAMEWORK_MESSAGES[status];
      // Too large: say how large may be (an import file's limit is the route's own).
      const limit = request.routeOptions.bodyLimit;
      if (status === 413 && worded && limit) worded = `${worded}：不能超过 ${limit >= 1024 * 1024 ? `${Math.round(limit / 1024 / 1024)} MB` : `${Math.round(limit / 1024)} KB`}`;
      return reply.code(status).send({ error: err.code ?? 'error', message: worded && err.code?.startsWith('FST_') ? `${worded} (${err.message})` : err.message });
    });
    app.setNotFoundHandler((request, reply) => refuse(reply, 'not-found', `no route ${request.method} ${request.url.split('?')[0]}`));
  },
  { name: 'errors' },
);
