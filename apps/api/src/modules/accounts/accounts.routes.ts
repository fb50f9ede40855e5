import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Cursor, Limit, RegionCode, RoleSchema, Strict, Uuid, errorResponses } from '../../schemas';
import { Password } from '../auth/auth.routes';

const Username = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$', description: '3-32 位字母、数字、下划线、点或连字符' });
const PersonName = Type.String({ minLength: 1, maxLength: 50, pattern: '\\S', title: '姓名' });
const RegionPathItem = Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() });

const AccountView = Type.Object({
  id: Uuid,
  username: Type.Union([Type.String(), Type.Null()]),
  role: RoleSchema,
  regionCode: Type.Union([Type.String(), Type.Null()]),
  regionName: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  isDisabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  canManage: Type.Boolean({ description: '调用者能否修改、停用该账号（更高的角色或更大的服务区域；不含自己）' }),
  canResetPassword: Type.Boolean({ description: '调用者能否为该账号重置密码（同上，且不是劳动力账号）' }),
});
const Me = Type.Composite([
  AccountView,
  Type.Object({ region: Type.Union([Type.Object({ code: Type.String(), name: Type.String(), level: Type.String(), path: Type.Array(RegionPathItem) }), Type.Null()]) }),
]);

const CreateAccountBody = Strict({ username: Username, password: Password, role: RoleSchema, regionCode: RegionCode, name: PersonName });
const UpdateAccountBody = Strict(
  { name: Type.Optional(PersonName), role: Type.Optional(RoleSchema), regionCode: Type.Optional(RegionCode), isDisabled: Type.Optional(Type.Boolean()) },
  { minProperties: 1 },
);
const AccountListQuery = Strict({
  role: Type.Optional(RoleSchema),
  regionCode: Type.Optional(RegionCode),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  cursor: Type.Optional(Cursor),
  limit: Limit,
});
const IdParams = Strict({ id: Uuid });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/me', {
    config: { access: 'signedIn' },
    schema: { tags: ['accounts'], summary: '当前账号及其服务区域', security: [{ bearerAuth: [] }], response: { 200: Me, ...errorResponses(401) } },
    handler: async (req) => {
      const me = await app.accountsService.me(req.ctx);
      if (!me.regionCode) return { ...me, region: null };
      const path = await app.regionsService.path(me.regionCode);
      const self = path[path.length - 1];
      return { ...me, region: { code: self.code, name: self.name, level: self.level, path } };
    },
  });

  app.post('/accounts', {
    config: { access: 'accounts.manage' },
    schema: { tags: ['accounts'], summary: '在本区域内创建账号（不能高于自己的权限）', security: [{ bearerAuth: [] }], body: CreateAccountBody, response: { 201: AccountView, ...errorResponses(400, 401, 403, 409) } },
    handler: async (req, reply) => reply.code(201).send(await app.accountsService.create(req.ctx, req.body)),
  });

  app.get('/accounts', {
    config: { access: 'accounts.manage' },
    schema: { tags: ['accounts'], summary: '本区域内的账号', security: [{ bearerAuth: [] }], querystring: AccountListQuery, response: { 200: Type.Object({ items: Type.Array(AccountView), total: Type.Integer(), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses(400, 401, 403) } },
    handler: (req) => app.accountsService.list(req.ctx, req.query),
  });

  app.get('/accounts/villages-without-officer', {
    config: { access: 'accounts.manage' },
    schema: {
      tags: ['accounts'],
      summary: '本区域内没有在用的村级信息员账号的村（与数据看板的"无信息员村"相同）',
      security: [{ bearerAuth: [] }],
      querystring: Strict({ regionCode: Type.Optional(RegionCode), cursor: Type.Optional(Cursor), limit: Limit }),
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), townshipCode: Type.Union([Type.String(), Type.Null()]), townshipName: Type.Union([Type.String(), Type.Null()]) })),
          total: Type.Integer({ description: '没有信息员的村数' }),
          villages: Type.Integer({ description: '区域内的村数' }),
          nextCursor: Type.Union([Type.String(), Type.Null()]),
        }),
        ...errorResponses(400, 401, 403),
      },
    },
    handler: (req) => app.accountsService.villagesWithoutOfficer(req.ctx, req.query),
  });

  app.get('/accounts/:id', {
    config: { access: 'accounts.manage' },
    schema: { tags: ['accounts'], summary: '查看账号（记入审计日志）', security: [{ bearerAuth: [] }], params: IdParams, response: { 200: AccountView, ...errorResponses(400, 401, 403, 404) } },
    handler: (req) => app.accountsService.get(req.ctx, req.params.id),
  });

  app.patch('/accounts/:id', {
    config: { access: 'accounts.manage' },
    schema: { tags: ['accounts'], summary: '修改账号：姓名、角色、区域、停用（停用或改权限会结束其所有会话）', security: [{ bearerAuth: [] }], params: IdParams, body: UpdateAccountBody, response: { 200: AccountView, ...errorResponses(400, 401, 403, 404) } },
    handler: (req) => app.accountsService.update(req.ctx, req.params.id, req.body),
  });

  app.post('/accounts/:id/password', {
    config: { access: 'accounts.manage' },
    schema: { tags: ['accounts'], summary: '重置账号密码（其会话全部失效）', security: [{ bearerAuth: [] }], params: IdParams, body: Strict({ password: Password }), response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) } },
    handler: async (req, reply) => {
      await app.accountsService.resetPassword(req.ctx, req.params.id, req.body.password);
      return reply.code(204).send(null);
    },
  });
};

export default routes;
