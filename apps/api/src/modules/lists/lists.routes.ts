import { Type, TSchema } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EMPLOYMENT_STATUSES, POVERTY_STATUSES, SERVICE_NEEDS, SEXES, codesOf } from '@jobbridge/shared';
import { Cursor, Limit, RegionCode, Strict, errorResponses, xlsxResponse } from '../../schemas';
import { contentDisposition } from './lists.export';
import { LIST_DEFINITIONS } from './list-definitions';
import { ExportsBusyError, LIST_SORTS } from './lists.service';

const oneOf = (codes: readonly string[], description?: string) => Type.Union(codes.map((c) => Type.Literal(c)), description ? { description } : {});
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Age = Type.Integer({ minimum: 0, maximum: 150 });

/** The filters and sort order shared by a list's pages and its export. */
const filterProps = {
  regionCode: Type.Optional(RegionCode),
  employmentStatus: Type.Optional(oneOf(codesOf(EMPLOYMENT_STATUSES), '就业状态代码')),
  serviceNeed: Type.Optional(oneOf(codesOf(SERVICE_NEEDS), '服务需求代码（含此项需求的人）')),
  povertyStatus: Type.Optional(oneOf(codesOf(POVERTY_STATUSES), '所在户的脱贫属性')),
  sex: Type.Optional(oneOf(codesOf(SEXES))),
  ageMin: Type.Optional(Age),
  ageMax: Type.Optional(Age),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 50, pattern: '\\S', description: '姓名中的文字' })),
  idNumber: Type.Optional(Type.String({ pattern: '^[0-9]{17}[0-9Xx]$', description: '完整的18位身份证号（精确查找；不再按后4位查找：列表不显示它们）' })),
  sort: Type.Optional(
    Type.Union(
      LIST_SORTS.map((s) => Type.Literal(s)),
      { description: '排序：regionCode（默认，按村、户）、name、age、updatedAt' },
    ),
  ),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { description: '默认 asc' })),
};
const ListQuery = Strict({ ...filterProps, cursor: Type.Optional(Cursor), limit: Limit });
const ExportQuery = Strict(filterProps);
const ListParams = Strict({ list: Type.String({ minLength: 1, maxLength: 40, description: LIST_DEFINITIONS.map((d) => `${d.key}：${d.title}`).join('；') }) });

const ListSummary = Type.Object({
  key: Type.String(),
  title: Type.String(),
  count: Type.Integer({ description: '本区域内的人数：六个清单均取自看板的汇总数（精确，不逐人计数）' }),
  countCapped: Type.Boolean({ description: '为 true 时 count 为计数上限（实际人数更多，显示为“10,000+”）；六个清单恒为 false' }),
});

/**
 * How a list page's total is counted (the route's OpenAPI description): never by counting the area's people.
 * Exported for the routes built on the lists (the training-needs list).
 */
export const TOTAL_RULE =
  'total 的来历：只按区域（regionCode）筛选的六个清单，total 取自看板的汇总数（与看板同一口径，精确，不逐人计数）；' +
  '带其他筛选条件（就业状态、服务需求、脱贫属性、性别、年龄、姓名、身份证号）或不在看板统计内的清单（如培训需求清单），' +
  '最多计到 LIST_COUNT_CAP（默认 10,000）人为止：超过时 total 为该上限、totalCapped 为 true，应显示为“10,000+”。';

/** `totalCapped` of a list page. */
export const TotalCapped = Type.Boolean({ description: '为 true 时 total 是计数上限，实际人数超过 total（显示为“10,000+”）；为 false 时 total 为精确人数' });

/** What a list shows of a person; only these fields are serialised. ID and phone numbers are masked. */
export const ListItem = Type.Object({
  id: Type.String(),
  householdId: Type.String(),
  regionCode: Type.String(),
  villageName: Nullable(Type.String()),
  townshipName: Nullable(Type.String()),
  name: Type.String(),
  idNumberMasked: Type.String({ description: '脱敏身份证号，只显示前 6 位，如 451425************' }),
  age: Type.Integer(),
  sex: Type.String(),
  phone: Nullable(Type.String({ description: '脱敏手机号，如 138****5678' })),
  headName: Type.String(),
  povertyStatus: Type.String(),
  relationToHead: Nullable(Type.String()),
  education: Type.String(),
  health: Type.String(),
  disabilityType: Nullable(Type.String()),
  disabilityGrade: Nullable(Type.Integer()),
  skills: Type.Array(Type.String()),
  certificates: Type.Array(Type.String()),
  isHardToEmploy: Type.Boolean(),
  employmentStatus: Type.String(),
  employer: Nullable(Type.String()),
  workPlace: Nullable(Type.String()),
  employedSince: Nullable(Type.String()),
  monthlyIncome: Nullable(Type.Integer()),
  migrationStatus: Type.String(),
  awayPlace: Nullable(Type.String()),
  awaySince: Nullable(Type.String()),
  returnedAt: Nullable(Type.String()),
  returnReason: Nullable(Type.String()),
  serviceNeeds: Type.Array(Type.String()),
  wantedJobCategories: Type.Array(Type.String()),
  workScopes: Type.Array(Type.String()),
  preferredPlaces: Type.Array(Type.String()),
  minMonthlyWage: Nullable(Type.Integer()),
  needsBoardLodging: Type.Boolean(),
  trainingWanted: Type.Array(Type.String()),
  version: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/lists', {
    config: { access: 'lists.read' },
    schema: {
      tags: ['lists'],
      summary: '六个清单及其在本区域（或 regionCode 所指的下级区域）内的人数',
      description: '人数取自看板的汇总数（精确，按区域编码前缀汇总村、乡镇的汇总行），不逐人计数。',
      security: [{ bearerAuth: [] }],
      querystring: Strict({ regionCode: Type.Optional(RegionCode) }),
      response: { 200: Type.Object({ items: Type.Array(ListSummary) }), ...errorResponses(400, 401, 403) },
    },
    handler: (req) => app.listsService.overview(req.ctx, req.query.regionCode),
  });

  app.get('/lists/:list', {
    config: { access: 'lists.read' },
    schema: {
      tags: ['lists'],
      summary: '实名清单：本区域内的人员（身份证号、手机号脱敏），可筛选、排序，按游标分页',
      description: TOTAL_RULE,
      security: [{ bearerAuth: [] }],
      params: ListParams,
      querystring: ListQuery,
      response: { 200: Type.Object({ items: Type.Array(ListItem), total: Type.Integer(), totalCapped: TotalCapped, nextCursor: Nullable(Type.String()) }), ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => app.listsService.list(req.ctx, req.params.list, req.query),
  });

  app.get('/lists/:list/export', {
    config: { access: 'lists.read' },
    schema: {
      tags: ['lists'],
      summary: '导出实名清单为 Excel（.xlsx，流式生成；身份证号、手机号脱敏；超过 1,048,576 行时分多个工作表；记入审计）。每台服务器同时导出的数量有上限，超过时为 503，稍后再试',
      security: [{ bearerAuth: [] }],
      params: ListParams,
      querystring: ExportQuery,
      response: { 200: xlsxResponse('清单 .xlsx 文件'), ...errorResponses(400, 401, 403, 404, 503) },
    },
    handler: async (req, reply) => {
      const file = await app.listsService.export(req.ctx, req.params.list, req.query).catch((err: unknown) => {
        if (err instanceof ExportsBusyError) reply.header('retry-after', '30');
        throw err;
      });
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', contentDisposition(file.filename, file.asciiFilename))
        .header('cache-control', 'no-store')
        .header('x-row-count', String(file.rows))
        .send(file.stream);
    },
  });
};

export default routes;
