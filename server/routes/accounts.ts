// Account management, for admins: GET/POST /api/accounts, PATCH /api/accounts/:username,
// POST /api/accounts/:username/password and /revoke. Answers carry the account as admins
// see it (never the hash) and how many sessions the change ended.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changeAccount, createAccount, listAccounts, resetPassword, revokeAccount, type AccountOutcome } from '../auth/account-admin.ts';
import { AccountChange, NewAccount, PasswordReset, Username } from '../schema/index.ts';

const STATUS = { 'not-found': 404, invalid: 400, conflict: 409 } as const;
const send = (reply: FastifyReply, outcome: AccountOutcome, created = false) =>
  outcome.ok
    ? reply.code(created ? 201 : 200).send({ data: outcome.value, revoked: outcome.revoked })
    : reply.code(STATUS[outcome.error]).send({ error: outcome.error, message: outcome.message });

const Params = z.object({ username: Username });

const accounts: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const manage = app.requirePermission('accounts:manage');

  app.get('/api/accounts', { preValidation: manage }, async () => ({ data: await listAccounts(app.store) }));

  app.post('/api/accounts', { schema: { body: NewAccount }, preValidation: manage }, async (request, reply) =>
    send(reply, await createAccount(app.store, request.body, app.clock()), true),
  );

  app.patch('/api/accounts/:username', { schema: { params: Params, body: AccountChange }, preValidation: manage }, async (request, reply) =>
    send(reply, await changeAccount(app.store, request.params.username, request.body, request.session!.username, app.clock())),
  );

  app.post('/api/accounts/:username/password', { schema: { params: Params, body: PasswordReset }, preValidation: manage }, async (request, reply) =>
    send(reply, await resetPassword(app.store, request.params.username, request.body.password, app.clock())),
  );

  app.post('/api/accounts/:username/revoke', { schema: { params: Params }, preValidation: manage }, async (request, reply) =>
    send(reply, await revokeAccount(app.store, request.params.username, app.clock())),
  );
};
export default accounts;
