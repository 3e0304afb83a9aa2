// Account management, for admins: GET/POST /api/accounts, PATCH /api/accounts/:username,
// POST /api/accounts/:username/password and /revoke. Answers carry the account as admins
// see it (never the hash) and how many sessions the change ended.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changeAccount, createAccount, listAccounts, resetPassword, revokeAccount } from '../auth/account-admin.ts';
import { AccountChange, AccountView, DataBody, NewAccount, PasswordReset, responses, Username } from '../schema/index.ts';
import { answer } from '../http/reply.ts';

const Params = z.object({ username: Username });
/** The account as admins see it, and how many sessions the change ended. */
const Changed = z.object({ data: AccountView, revoked: z.number().int().nonnegative() });

const accounts: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const manage = app.requirePermission('accounts:manage');

  app.get('/api/accounts', { schema: { response: responses({ 200: DataBody(z.array(AccountView)) }) }, preValidation: manage }, async () => ({
    data: await listAccounts(app.store),
  }));

  app.post('/api/accounts', { schema: { body: NewAccount, response: responses({ 201: Changed }) }, preValidation: manage }, async (request, reply) =>
    answer(reply, await createAccount(app.store, request.body, app.clock()), { created: true }),
  );

  app.patch('/api/accounts/:username', { schema: { params: Params, body: AccountChange, response: responses({ 200: Changed }) }, preValidation: manage }, async (request, reply) =>
    answer(reply, await changeAccount(app.store, request.params.username, request.body, request.session!.username, app.clock())),
  );

  app.post(
    '/api/accounts/:username/password',
    { schema: { params: Params, body: PasswordReset, response: responses({ 200: Changed }) }, preValidation: manage },
    async (request, reply) => answer(reply, await resetPassword(app.store, request.params.username, request.body.password, app.clock())),
  );

  app.post('/api/accounts/:username/revoke', { schema: { params: Params, response: responses({ 200: Changed }) }, preValidation: manage }, async (request, reply) =>
    answer(reply, await revokeAccount(app.store, request.params.username, app.clock())),
  );
};
export default accounts;
