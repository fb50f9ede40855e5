import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RoleSchema, RegionCode, Strict, Uuid, errorResponses } from '../../schemas';
import { PASSWORD_MIN_LENGTH } from './password';

const SignedInUser = Type.Object({
  id: Uuid,
  role: RoleSchema,
  regionCode: Type.Union([RegionCode, Type.Null()]),
  name: Type.String(),
  mustChangePassword: Type.Boolean({ description: '密码由他人设置（新建或重置）：须先修改密码，其它接口返回 403 PASSWORD_CHANGE_REQUIRED' }),
});
export const TokenPair = Type.Object({ accessToken: Type.String(), refreshToken: Type.String(), expiresIn: Type.Integer(), user: SignedInUser });
export const Password = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: 128 });

const LoginBody = Strict({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 128 }) });
const WeChatLoginBody = Strict({ code: Type.String({ minLength: 1, maxLength: 128, title: '微信登录凭证' }) });
const RefreshBody = Strict({ refreshToken: Type.String({ minLength: 1, maxLength: 200 }) });
const ChangePasswordBody = Strict({ currentPassword: Type.String({ minLength: 1, maxLength: 128 }), newPassword: Password });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/auth/login', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: '用户名密码登录（工作人员）', body: LoginBody, response: { 200: TokenPair, ...errorResponses(400, 401, 403, 423, 429) } },
    handler: (req) => app.authService.login(req.body.username, req.body.password, { ip: req.ip, requestId: req.id }),
  });

  app.post('/auth/wechat', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: '微信登录（劳动力、企业联系人）：wx.login 的 code 换取会话；首次登录创建劳动力账号', body: WeChatLoginBody, response: { 200: TokenPair, ...errorResponses(400, 401, 403) } },
    handler: (req) => app.authService.loginWithWeChat(req.body.code, { ip: req.ip, requestId: req.id }),
  });

  app.post('/auth/refresh', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: '用刷新令牌换新令牌（刷新令牌每次使用后失效）', body: RefreshBody, response: { 200: TokenPair, ...errorResponses(400, 401) } },
    handler: (req) => app.authService.refresh(req.body.refreshToken, { ip: req.ip, requestId: req.id }),
  });

  app.post('/auth/logout', {
    config: { access: 'signedIn', allowsPendingPasswordChange: true },
    schema: { tags: ['auth'], summary: '退出登录（结束本会话）', security: [{ bearerAuth: [] }], response: { 204: Type.Null(), ...errorResponses(401) } },
    handler: async (req, reply) => {
      await app.authService.logout(req.ctx);
      return reply.code(204).send(null);
    },
  });

  app.post('/auth/password', {
    config: { access: 'signedIn', allowsPendingPasswordChange: true },
    schema: { tags: ['auth'], summary: '修改自己的密码（其它会话全部失效）', security: [{ bearerAuth: [] }], body: ChangePasswordBody, response: { 200: TokenPair, ...errorResponses(400, 401) } },
    handler: (req) => app.authService.changePassword(req.ctx, req.body.currentPassword, req.body.newPassword),
  });
};

export default routes;
