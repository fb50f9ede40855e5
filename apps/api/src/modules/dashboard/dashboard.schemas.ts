import { Type } from '@sinclair/typebox';
import { DASHBOARD_FIGURES, REGION_LEVELS, type DashboardView } from '@jobbridge/shared';
import { Closed, viewSchema } from '../../schemas';

/**
 * What each figure counts, for the OpenAPI document. All are exact as of the
 * answer's `asOf` (the read's snapshot of the aggregates, folded or not).
 */
const MEANING: Record<(typeof DASHBOARD_FIGURES)[number]['key'], string> = {
  laborers: '劳动力人数（= 劳动力实名清单总数）',
  ableToWork: '有劳动能力：就业状态不是“无劳动能力”“在校学生”的人数',
  employed: '已就业：县内、省内县外、省外务工、灵活就业、公益性岗位、帮扶车间、自主创业之和',
  employedLocal: '就业状态为县内务工的人数',
  employedInProvince: '就业状态为省内县外务工的人数',
  employedOutOfProvince: '就业状态为省外务工的人数',
  employedWorkshop: '就业状态为帮扶车间就业的人数',
  employedPublicWelfare: '就业状态为公益性岗位的人数',
  unemployed: '未就业（有劳动能力）人数（= 失业人员清单总数）',
  hardToEmploy: '困难劳动力（= 困难劳动力实名清单总数）',
  hardToEmployEmployed: '困难劳动力已就业（= 困难劳动力就业人员清单总数）',
  willingToWorkAway: '有意愿外出务工（= 有意愿外出务工人员清单总数）',
  returnees: '返乡回流（= 返乡回流人员实名清单总数）',
  seekers: '求职人员：有劳动能力且未就业，或有“岗位推荐”需求（与岗位匹配的对象相同）',
  seekers311: '求职人员中已获得 3 个及以上岗位推荐（任何状态）的人数（“311”中的 3 次推荐）',
  referrals: '推荐岗位总数（系统推荐与人工推荐，任何状态）',
  interested: '当前状态为“感兴趣”的推荐数',
  applied: '当前状态为“已报名”的推荐数',
  hired: '当前状态为“已上岗”的推荐数（就业回执）',
  followupsDue: '待回访：未完成且 7 天内到期（含已逾期）的稳岗回访，与 GET /followups?status=due 相同',
  followupsOverdue: '回访逾期：未完成且到期日早于今天（北京时间）的稳岗回访',
  villages: '行政村（社区）数',
  villagesSurveyed30d: '最近一次入户走访在近 30 天内（北京时间的今天及之前 29 天）的村数',
  villagesWithoutOfficer: '没有在用的村级信息员账号的村数（绑定在乡镇的信息员不计入其下各村）',
  groups: '群数：所属网格在本区域内的群聊（村级群计入本村；乡镇级群计入本乡镇及以上，不计入其下任何村，故乡镇的群数 = 各村之和 + 乡镇本级群）',
  groupMembers: '群成员数：上述群的当前成员人次（同一人在两个群计两次；已移出的不计）',
};

const Figures = Closed(
  Object.fromEntries(DASHBOARD_FIGURES.map((f) => [f.key, Type.Integer({ minimum: 0, description: `${f.label}：${MEANING[f.key]}` })])) as Record<
    (typeof DASHBOARD_FIGURES)[number]['key'],
    ReturnType<typeof Type.Integer>
  >,
  { description: '各项指标，均为截至 asOf 的准确人数/个数' },
);
const Region = Closed({ code: Type.String(), name: Type.String(), level: Type.Union(REGION_LEVELS.map((l) => Type.Literal(l))) });

export const DashboardViewSchema = viewSchema<DashboardView>()(
  Closed({
    region: Region,
    path: Type.Array(Region, { description: '面包屑：从本账号的区域到当前区域' }),
    asOf: Type.String({ format: 'date-time', description: '所有指标的截至时间（读取时的数据库快照，写入后立即可见）' }),
    figures: Figures,
    children: Type.Array(Closed({ region: Region, figures: Figures }), { description: '下级区域及其指标，各项之和等于本区域（村级为空）' }),
    trend: Type.Array(Closed({ month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }), figures: Figures }), {
      description: '月度趋势：近 12 个月的月末快照（北京时间），最后一项为本月截至 asOf 的实时数',
    }),
  }),
);
