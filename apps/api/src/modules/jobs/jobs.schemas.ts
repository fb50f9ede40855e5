import { Type, TProperties, TSchema } from '@sinclair/typebox';
import { DISABILITY_TYPES, EDUCATION_LEVELS, EMPLOYER_STATUSES, POSTING_STATUSES, RECOMMENDATION_STATUSES, POSTING_AGE_MAX, POSTING_AGE_MIN, REGION_CODE_PATTERN, codesOf } from '@jobbridge/shared';
import { Cursor, Limit, RegionCode, Strict, Uuid } from '../../schemas';


/**
 * Request and response shapes of the job supply list. Bodies check types and
 * reject unknown fields here; what the values must be (codes, ranges, dates,
 * phone numbers) is checked by `validateEmployer` / `validatePosting` of
 * packages/shared, the same code the mini-program runs.
 */

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Text = (description: string) => Type.String({ description });
const OptText = (description: string) => Type.Optional(Nullable(Text(description)));
const Version = Type.Integer({ minimum: 1, description: '修改前的版本号（乐观锁：不是最新版本时返回 409）' });
const IsoDate = (description: string) => Type.String({ description: `${description}，YYYY-MM-DD` });
const codeList = (list: readonly { code: string; label: string }[]) => list.map((c) => `${c.code} ${c.label}`).join('，');
const Timestamp = Type.String({ format: 'date-time' });
const Region = (description: string) => Type.String({ pattern: REGION_CODE_PATTERN, description: `${description}：2、4、6、9 或 12 位数字` });
/** The same fields, each optional (a patch). */
const optional = <T extends TProperties>(props: T) => Type.Partial(Type.Object(props)).properties;

// ---- Employers ----

const employerProps = {
  regionCode: Region('管理该单位的区域（须在本账号服务区域内）'),
  name: Type.String({ title: '单位名称', description: '单位名称，本区域内唯一' }),
  creditCode: OptText('统一社会信用代码（18位，含校验位）'),
  industry: Text('行业'),
  locationRegionCode: Region('单位所在地的行政区划代码（可在外省，如东西部协作城市）'),
  address: OptText('地址'),
  contactName: Text('联系人'),
  contactPhone: Text('联系电话：手机号或带区号的固定电话'),
  isPartnerRegion: Type.Optional(Type.Boolean({ description: '是否东西部劳务协作地区的单位' })),
};
const EmployerStatus = Type.Union(codesOf(EMPLOYER_STATUSES).map((c) => Type.Literal(c)), { description: codeList(EMPLOYER_STATUSES) });

export const CreateEmployerBody = Strict(employerProps);
export const UpdateEmployerBody = Strict({ version: Version, ...optional(employerProps), status: Type.Optional(EmployerStatus) }, { minProperties: 2 });

export const EmployerView = Type.Object({
  id: Uuid,
  regionCode: Type.String(),
  name: Type.String(),
  creditCode: Nullable(Type.String()),
  industry: Type.String(),
  locationRegionCode: Type.String(),
  address: Nullable(Type.String()),
  contactName: Type.String(),
  contactPhone: Type.String(),
  isPartnerRegion: Type.Boolean(),
  status: EmployerStatus,
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const EmployerListQuery = Strict({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: '单位名称中的文字' })),
  status: Type.Optional(EmployerStatus),
  cursor: Type.Optional(Cursor),
  limit: Limit,
});

// ---- Postings ----

const PostingStatus = Type.Union(codesOf(POSTING_STATUSES).map((c) => Type.Literal(c)), { description: codeList(POSTING_STATUSES) });
const Yuan = (description: string) => Type.Integer({ description: `${description}（元/月）` });
const Age = (description: string) => Type.Optional(Nullable(Type.Integer({ description: `${description}，${POSTING_AGE_MIN}-${POSTING_AGE_MAX}` })));
const Words = (description: string) => Type.Optional(Type.Array(Type.String(), { description }));

const postingProps = {
  title: Type.String({ title: '岗位名称', description: '岗位名称' }),
  categoryCode: Text('工种代码（codes.ts 的 JOB_CATEGORIES，如 manufacturing.electronics_assembly）'),
  workRegionCode: Region('工作地点的行政区划代码'),
  workPlaceName: OptText('工作地点名称；不填时按区划生成（如 广西壮族自治区崇左市天等县天等镇）'),
  wageMin: Yuan('月薪下限'),
  wageMax: Yuan('月薪上限，不低于下限'),
  headcount: Type.Integer({ description: '招聘人数，至少1' }),
  ageMin: Age('年龄下限'),
  ageMax: Age('年龄上限，不低于下限'),
  sex: Type.Optional(Nullable(Type.String({ description: '性别要求：male 男 / female 女；null 不限' }))),
  educationMin: Type.Optional(Nullable(Type.String({ description: `最低学历：${codeList(EDUCATION_LEVELS)}；null 不限` }))),
  skills: Words('技能要求'),
  certificates: Words('证书要求'),
  boardLodging: Type.Optional(Type.Boolean({ description: '包吃住' })),
  suitsDisabilities: Words(`适合的残疾类别：${codeList(DISABILITY_TYPES)}`),
  isEastWest: Type.Optional(Type.Boolean({ description: '东西部协作岗位' })),
  validFrom: IsoDate('有效期起'),
  validTo: IsoDate('有效期止，不早于有效期起；招聘中的岗位不能已过期'),
  status: Type.Optional(PostingStatus),
  description: OptText('岗位说明'),
};

export const CreatePostingBody = Strict({ employerId: Type.String({ format: 'uuid', description: '用人单位（须由本账号服务区域管理）' }), ...postingProps });

/** A posting proposal of an employer contact (modules/employers): POST /postings' fields but the employer (their own) and the status (open once accepted). */
const { status: _status, ...proposalProps } = postingProps;
export const PostingProposalBody = Strict(proposalProps);
/** Accepting a proposal: any of its fields corrected by staff first. */
export const AcceptProposalBody = Strict(optional(proposalProps));
export const PostingProposalFieldsView = proposalProps;
export const UpdatePostingBody = Strict(
  { version: Version, ...optional(postingProps) },
  { minProperties: 2, description: '改为 open（重新招聘）时重新发布；修改后仍在招聘中的岗位会重新匹配求职者' },
);

export const PostingView = Type.Object({
  id: Uuid,
  employerId: Uuid,
  employerName: Type.String(),
  regionCode: Type.String(),
  title: Type.String(),
  categoryCode: Type.String(),
  categoryLabel: Type.String(),
  workRegionCode: Type.String(),
  workPlaceName: Type.String(),
  wageMin: Type.Integer(),
  wageMax: Type.Integer(),
  headcount: Type.Integer(),
  ageMin: Nullable(Type.Integer()),
  ageMax: Nullable(Type.Integer()),
  sex: Nullable(Type.String()),
  educationMin: Nullable(Type.String()),
  skills: Type.Array(Type.String()),
  certificates: Type.Array(Type.String()),
  boardLodging: Type.Boolean(),
  suitsDisabilities: Type.Array(Type.String()),
  isEastWest: Type.Boolean(),
  validFrom: Type.String({ format: 'date' }),
  validTo: Type.String({ format: 'date' }),
  status: PostingStatus,
  publishedAt: Timestamp,
  description: Nullable(Type.String()),
  contactName: Type.String(),
  contactPhone: Type.String(),
  version: Type.Integer(),
});

export const PostingRecommendationCountsView = Type.Object({
  postingId: Uuid,
  postingStatus: PostingStatus,
  byStatus: Type.Object(
    Object.fromEntries(RECOMMENDATION_STATUSES.map((st) => [st.code, Type.Integer({ description: st.label })])),
    { description: '本账号服务区域内劳动力的推荐，按状态计数' },
  ),
  open: Type.Integer({ description: '未处理的推荐（已推荐、感兴趣）：岗位暂停、招满或关闭时撤回的数量' }),
  matchingPending: Type.Boolean({ description: '还有会改变这些数字的匹配任务在排队或运行；为 false 时数字为最终结果' }),
  asOf: Timestamp,
});

export const PostingListQuery = Strict({
  status: Type.Optional(PostingStatus),
  categoryCode: Type.Optional(Type.String({ pattern: '^[a-z_]+(\\.[a-z_]+)?$', maxLength: 40, description: '工种代码，或工种大类代码（该大类的所有工种）' })),
  employerId: Type.Optional(Uuid),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: '岗位名称或单位名称中的文字' })),
  openOnly: Type.Optional(Type.Boolean({ description: '只看今天在招的岗位（招聘中且在有效期内）' })),
  cursor: Type.Optional(Cursor),
  limit: Limit,
});

// ---- Import ----

export const ImportQuery = Strict({
  regionCode: Region('导入到哪个管理区域（须在本账号服务区域内）；单位按名称在该区域内匹配，没有则新建'),
  acceptValid: Type.Optional(Type.Boolean({ default: false, description: 'true：有错误时也导入无误的行；false（默认）：有任何错误则不导入' })),
});

const ImportProblem = Type.Object({
  row: Type.Integer({ description: 'Excel 中的行号' }),
  column: Type.String({ description: '列名（表头）' }),
  reason: Type.String({ description: '错误原因' }),
});

export const ImportResult = Type.Object({
  imported: Type.Integer({ description: '导入的岗位数' }),
  employersCreated: Type.Integer({ description: '新建的单位数' }),
  errorCount: Type.Integer({ description: '未导入的行中的错误数' }),
  errors: Type.Array(ImportProblem, { description: '未导入的行的错误（最多列出1000条）' }),
});

export const ImportInvalidResponse = Type.Object(
  {
    error: Type.Object({ code: Type.Literal('IMPORT_INVALID'), message: Type.String() }),
    report: Type.Object({
      total: Type.Integer({ description: '数据行数' }),
      valid: Type.Integer({ description: '无误的行数' }),
      errorCount: Type.Integer(),
      errors: Type.Array(ImportProblem, { description: '每处错误：行、列、原因（最多列出1000条）' }),
    }),
  },
  { description: '文件有错误（或缺少表头、没有数据）：什么都没有导入，report 逐行列出错误' },
);

// ---- Monthly issues ----

export const PublishIssueBody = Strict({
  regionCode: Region('发布哪个区域的岗位供给清单（须在本账号服务区域内）'),
  period: Type.String({ pattern: '^20\\d{2}-(0[1-9]|1[0-2])$', description: '月份，YYYY-MM' }),
});

export const PostingIssueView = Type.Object({
  id: Uuid,
  regionCode: Type.String(),
  period: Type.String(),
  number: Type.Integer({ description: '第N期（当年的第N个月）' }),
  title: Type.String(),
  employerCount: Type.Integer(),
  postingCount: Type.Integer(),
  openingCount: Type.Integer({ description: '岗位数（招聘人数之和）' }),
  publishedAt: Timestamp,
});

export const IssueListQuery = Strict({ regionCode: Type.Optional(RegionCode), cursor: Type.Optional(Cursor), limit: Limit });

// ---- Cooperation pairs ----

const CountyCode = Type.String({ pattern: '^\\d{6}$', description: '输出地县级区划代码（6位）' });
export const CreatePairBody = Strict({
  countyCode: CountyCode,
  partnerRegionCode: Region('协作地区的区划代码（如江门市 4407）'),
  note: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});
export const PairParams = Strict({ countyCode: CountyCode, partnerRegionCode: RegionCode });
export const CooperationPairView = Type.Object({
  countyCode: Type.String(),
  countyName: Nullable(Type.String()),
  partnerRegionCode: Type.String(),
  partnerRegionName: Nullable(Type.String()),
  note: Nullable(Type.String()),
  createdAt: Timestamp,
});

export const page = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), total: Type.Integer(), nextCursor: Nullable(Type.String()) });
