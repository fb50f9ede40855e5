/**
 * Code lists of the laborer survey. Data stores the stable lower_snake `code`;
 * people see the Chinese `label`. Codes are never renamed or reused: exported
 * spreadsheets, saved filters and offline drafts on phones all hold them.
 * Adding a code is fine; removing one needs a data migration first.
 */

/** One entry of a code list: the stored code and the Chinese label shown for it. */
export interface CodeEntry<C extends string | number = string> {
  readonly code: C;
  readonly label: string;
}

/** Builds the label map and type guard of a code list (plain lookups; the mini-program forbids generated code). */
export function defineCodeList<const T extends readonly CodeEntry<string | number>[]>(list: T) {
  type C = T[number]['code'];
  const labels = {} as Record<C, string>;
  for (const e of list) labels[e.code as C] = e.label;
  const codes = new Set<unknown>(list.map((e) => e.code));
  return {
    labels: labels as Readonly<Record<C, string>>,
    is: (value: unknown): value is C => codes.has(value),
  };
}

/** The codes of a list, in order (e.g. for an enum in a request schema). */
export function codesOf<C extends string | number>(list: readonly CodeEntry<C>[]): C[] {
  return list.map((e) => e.code);
}

/** Sex, as derived from the ID number. */
export const SEXES = [
  { code: 'male', label: '男' },
  { code: 'female', label: '女' },
] as const;
export type SexCode = (typeof SEXES)[number]['code'];
/** Labels and guard of SEXES. */
export const { labels: SEX_LABELS, is: isSexCode } = defineCodeList(SEXES);

/** Household poverty status; `monitored` households are watched for relapse into poverty. */
export const POVERTY_STATUSES = [
  { code: 'lifted', label: '脱贫户' },
  { code: 'monitored', label: '监测对象' },
  { code: 'ordinary', label: '一般农户' },
] as const;
export type PovertyStatusCode = (typeof POVERTY_STATUSES)[number]['code'];
/** Labels and guard of POVERTY_STATUSES. */
export const { labels: POVERTY_STATUS_LABELS, is: isPovertyStatusCode } = defineCodeList(POVERTY_STATUSES);

/** A laborer's relation to the head of the household. */
export const RELATIONS_TO_HEAD = [
  { code: 'self', label: '户主' },
  { code: 'spouse', label: '配偶' },
  { code: 'child', label: '子女' },
  { code: 'parent', label: '父母' },
  { code: 'sibling', label: '兄弟姐妹' },
  { code: 'grandchild', label: '孙子女' },
  { code: 'child_in_law', label: '儿媳/女婿' },
  { code: 'other', label: '其他' },
] as const;
export type RelationToHeadCode = (typeof RELATIONS_TO_HEAD)[number]['code'];
/** Labels and guard of RELATIONS_TO_HEAD. */
export const { labels: RELATION_TO_HEAD_LABELS, is: isRelationToHeadCode } = defineCodeList(RELATIONS_TO_HEAD);

/** Highest education completed, lowest first. */
export const EDUCATION_LEVELS = [
  { code: 'none', label: '未上学' },
  { code: 'primary', label: '小学' },
  { code: 'junior', label: '初中' },
  { code: 'senior', label: '高中' },
  { code: 'vocational', label: '中专/职高/技校' },
  { code: 'college', label: '大专' },
  { code: 'bachelor', label: '本科' },
  { code: 'postgraduate', label: '研究生' },
] as const;
export type EducationLevelCode = (typeof EDUCATION_LEVELS)[number]['code'];
/** Labels and guard of EDUCATION_LEVELS. */
export const { labels: EDUCATION_LEVEL_LABELS, is: isEducationLevelCode } = defineCodeList(EDUCATION_LEVELS);

/** Health status; `disabled` requires a disability type and grade. */
export const HEALTH_STATUSES = [
  { code: 'healthy', label: '健康' },
  { code: 'chronic', label: '长期慢性病' },
  { code: 'serious', label: '大病' },
  { code: 'disabled', label: '残疾' },
] as const;
export type HealthStatusCode = (typeof HEALTH_STATUSES)[number]['code'];
/** Labels and guard of HEALTH_STATUSES. */
export const { labels: HEALTH_STATUS_LABELS, is: isHealthStatusCode } = defineCodeList(HEALTH_STATUSES);

/** The seven disability categories of China's disability certificate (残疾人证). */
export const DISABILITY_TYPES = [
  { code: 'visual', label: '视力残疾' },
  { code: 'hearing', label: '听力残疾' },
  { code: 'speech', label: '言语残疾' },
  { code: 'physical', label: '肢体残疾' },
  { code: 'intellectual', label: '智力残疾' },
  { code: 'mental', label: '精神残疾' },
  { code: 'multiple', label: '多重残疾' },
] as const;
export type DisabilityTypeCode = (typeof DISABILITY_TYPES)[number]['code'];
/** Labels and guard of DISABILITY_TYPES. */
export const { labels: DISABILITY_TYPE_LABELS, is: isDisabilityTypeCode } = defineCodeList(DISABILITY_TYPES);

/** Disability grades as numbers, as on the certificate: 1 is the most severe. */
export const DISABILITY_GRADES = [
  { code: 1, label: '一级' },
  { code: 2, label: '二级' },
  { code: 3, label: '三级' },
  { code: 4, label: '四级' },
] as const;
export type DisabilityGradeCode = (typeof DISABILITY_GRADES)[number]['code'];
/** Labels and guard of DISABILITY_GRADES (the guard accepts the numbers only, not "1"). */
export const { labels: DISABILITY_GRADE_LABELS, is: isDisabilityGradeCode } = defineCodeList(DISABILITY_GRADES);

/** Employment status; the first seven count as employed. */
export const EMPLOYMENT_STATUSES = [
  { code: 'local', label: '县内务工' },
  { code: 'in_province', label: '省内县外务工' },
  { code: 'out_of_province', label: '省外务工' },
  { code: 'flexible', label: '灵活就业' },
  { code: 'public_welfare', label: '公益性岗位' },
  { code: 'workshop', label: '帮扶车间就业' },
  { code: 'self_employed', label: '自主创业' },
  { code: 'unemployed', label: '未就业(有劳动能力)' },
  { code: 'unable', label: '无劳动能力' },
  { code: 'in_school', label: '在校学生' },
] as const;
export type EmploymentStatusCode = (typeof EMPLOYMENT_STATUSES)[number]['code'];
/** Labels and guard of EMPLOYMENT_STATUSES. */
export const { labels: EMPLOYMENT_STATUS_LABELS, is: isEmploymentStatusCode } = defineCodeList(EMPLOYMENT_STATUSES);

/** Statuses that count as employed (the employed and hard-to-employ-employed lists). */
export const EMPLOYED_STATUSES: readonly EmploymentStatusCode[] = [
  'local',
  'in_province',
  'out_of_province',
  'flexible',
  'public_welfare',
  'workshop',
  'self_employed',
];

/** True when the status counts as employed. */
export function isEmployedStatus(code: unknown): boolean {
  return (EMPLOYED_STATUSES as readonly unknown[]).includes(code);
}

/** Migration dynamics (外出动态); `returned` puts a laborer on the returnee list. */
export const MIGRATION_STATUSES = [
  { code: 'none', label: '未外出' },
  { code: 'away', label: '外出务工中' },
  { code: 'returned', label: '返乡回流' },
] as const;
export type MigrationStatusCode = (typeof MIGRATION_STATUSES)[number]['code'];
/** Labels and guard of MIGRATION_STATUSES. */
export const { labels: MIGRATION_STATUS_LABELS, is: isMigrationStatusCode } = defineCodeList(MIGRATION_STATUSES);

/** Why a returnee came home. */
export const RETURN_REASONS = [
  { code: 'job_lost', label: '失业/岗位减少' },
  { code: 'family_care', label: '照顾家庭' },
  { code: 'health', label: '身体原因' },
  { code: 'local_job', label: '回乡就业' },
  { code: 'start_business', label: '返乡创业' },
  { code: 'low_income', label: '收入低' },
  { code: 'epidemic', label: '疫情影响' },
  { code: 'other', label: '其他' },
] as const;
export type ReturnReasonCode = (typeof RETURN_REASONS)[number]['code'];
/** Labels and guard of RETURN_REASONS. */
export const { labels: RETURN_REASON_LABELS, is: isReturnReasonCode } = defineCodeList(RETURN_REASONS);

/** Service needs (服务需求); `none` excludes every other need. */
export const SERVICE_NEEDS = [
  { code: 'career_guidance', label: '职业指导' },
  { code: 'job_referral', label: '岗位推荐' },
  { code: 'skills_training', label: '技能培训' },
  { code: 'startup_support', label: '创业扶持' },
  { code: 'rights_protection', label: '劳动维权' },
  { code: 'public_welfare_post', label: '公益性岗位安置' },
  { code: 'transport', label: '外出务工交通' },
  { code: 'none', label: '暂无需求' },
] as const;
export type ServiceNeedCode = (typeof SERVICE_NEEDS)[number]['code'];
/** Labels and guard of SERVICE_NEEDS. */
export const { labels: SERVICE_NEED_LABELS, is: isServiceNeedCode } = defineCodeList(SERVICE_NEEDS);

/** How far from home a laborer is willing to work. */
export const WORK_SCOPES = [
  { code: 'local', label: '县内' },
  { code: 'in_province', label: '省内' },
  { code: 'out_of_province', label: '省外' },
] as const;
export type WorkScopeCode = (typeof WORK_SCOPES)[number]['code'];
/** Labels and guard of WORK_SCOPES. */
export const { labels: WORK_SCOPE_LABELS, is: isWorkScopeCode } = defineCodeList(WORK_SCOPES);

/** Skills training a laborer wants (the training-needs list is built from these). */
export const TRAINING_TYPES = [
  { code: 'electrician', label: '电工' },
  { code: 'welder', label: '焊工' },
  { code: 'cook', label: '中式烹调' },
  { code: 'domestic', label: '家政服务' },
  { code: 'maternity', label: '母婴护理/月嫂' },
  { code: 'elderly_care', label: '养老护理' },
  { code: 'ecommerce', label: '电子商务/直播带货' },
  { code: 'driving', label: '驾驶' },
  { code: 'agriculture', label: '种养殖技术' },
  { code: 'construction', label: '建筑工种' },
  { code: 'beautician', label: '美容美发' },
  { code: 'sewing', label: '缝纫' },
  { code: 'other', label: '其他' },
] as const;
export type TrainingTypeCode = (typeof TRAINING_TYPES)[number]['code'];
/** Labels and guard of TRAINING_TYPES. */
export const { labels: TRAINING_TYPE_LABELS, is: isTrainingTypeCode } = defineCodeList(TRAINING_TYPES);

/**
 * Top level of the job tree, loosely after the national occupational
 * classification (职业分类大典) as it is used for rural and migrant work.
 */
export const JOB_CATEGORY_GROUPS = [
  { code: 'manufacturing', label: '生产制造' },
  { code: 'construction', label: '建筑施工' },
  { code: 'services', label: '生活服务' },
  { code: 'catering', label: '餐饮' },
  { code: 'logistics', label: '交通物流' },
  { code: 'domestic', label: '家政护理' },
  { code: 'agriculture', label: '农林牧渔' },
  { code: 'sales', label: '批发零售/电商' },
  { code: 'security', label: '保安保洁' },
  { code: 'public_sector', label: '公益/辅助性岗位' },
  { code: 'office', label: '办公文员' },
  { code: 'tech', label: '技术工种' },
] as const;
export type JobCategoryGroupCode = (typeof JOB_CATEGORY_GROUPS)[number]['code'];
/** Labels and guard of JOB_CATEGORY_GROUPS. */
export const { labels: JOB_CATEGORY_GROUP_LABELS, is: isJobCategoryGroupCode } = defineCodeList(JOB_CATEGORY_GROUPS);

/** Job categories, flat; each code is `group.name` and carries its group. */
export const JOB_CATEGORIES = [
  { code: 'manufacturing.general_worker', group: 'manufacturing', label: '普工/操作工' },
  { code: 'manufacturing.electronics_assembly', group: 'manufacturing', label: '电子装配' },
  { code: 'manufacturing.garment', group: 'manufacturing', label: '服装加工/车缝' },
  { code: 'manufacturing.machining', group: 'manufacturing', label: '机械加工' },
  { code: 'manufacturing.food_processing', group: 'manufacturing', label: '食品加工' },
  { code: 'manufacturing.quality_inspection', group: 'manufacturing', label: '质检/品检' },
  { code: 'manufacturing.packaging', group: 'manufacturing', label: '包装/打包' },
  { code: 'manufacturing.workshop', group: 'manufacturing', label: '帮扶车间加工' },

  { code: 'construction.bricklayer', group: 'construction', label: '砌筑工/泥瓦工' },
  { code: 'construction.rebar', group: 'construction', label: '钢筋工' },
  { code: 'construction.carpenter', group: 'construction', label: '木工/模板工' },
  { code: 'construction.scaffolder', group: 'construction', label: '架子工' },
  { code: 'construction.concrete', group: 'construction', label: '混凝土工' },
  { code: 'construction.decoration', group: 'construction', label: '装修/油漆工' },
  { code: 'construction.laborer', group: 'construction', label: '建筑小工/杂工' },

  { code: 'services.hotel', group: 'services', label: '酒店/宾馆服务' },
  { code: 'services.beauty', group: 'services', label: '美容美发' },
  { code: 'services.massage', group: 'services', label: '保健按摩/足浴' },
  { code: 'services.laundry', group: 'services', label: '洗涤/干洗' },
  { code: 'services.property', group: 'services', label: '物业服务' },

  { code: 'catering.cook', group: 'catering', label: '厨师' },
  { code: 'catering.pastry', group: 'catering', label: '面点师' },
  { code: 'catering.kitchen_helper', group: 'catering', label: '帮厨/洗碗' },
  { code: 'catering.waiter', group: 'catering', label: '餐厅服务员' },

  { code: 'logistics.courier', group: 'logistics', label: '快递员' },
  { code: 'logistics.food_delivery', group: 'logistics', label: '外卖骑手' },
  { code: 'logistics.truck_driver', group: 'logistics', label: '货车司机' },
  { code: 'logistics.passenger_driver', group: 'logistics', label: '客运/网约车司机' },
  { code: 'logistics.warehouse', group: 'logistics', label: '仓储/分拣' },
  { code: 'logistics.loader', group: 'logistics', label: '装卸搬运' },
  { code: 'logistics.forklift', group: 'logistics', label: '叉车司机' },

  { code: 'domestic.housekeeper', group: 'domestic', label: '家政服务员/保姆' },
  { code: 'domestic.hourly', group: 'domestic', label: '钟点工' },
  { code: 'domestic.maternity', group: 'domestic', label: '月嫂/母婴护理' },
  { code: 'domestic.childcare', group: 'domestic', label: '育婴员' },
  { code: 'domestic.elderly_care', group: 'domestic', label: '养老护理员' },
  { code: 'domestic.hospital_carer', group: 'domestic', label: '医院护工' },

  { code: 'agriculture.planting', group: 'agriculture', label: '种植' },
  { code: 'agriculture.livestock', group: 'agriculture', label: '畜禽养殖' },
  { code: 'agriculture.fishery', group: 'agriculture', label: '水产养殖' },
  { code: 'agriculture.forestry', group: 'agriculture', label: '林业/苗木' },
  { code: 'agriculture.machinery', group: 'agriculture', label: '农机操作' },
  { code: 'agriculture.seasonal_picking', group: 'agriculture', label: '季节性采摘(采棉/采茶等)' },

  { code: 'sales.shop_assistant', group: 'sales', label: '营业员/导购' },
  { code: 'sales.supermarket', group: 'sales', label: '超市理货/收银' },
  { code: 'sales.sales_rep', group: 'sales', label: '销售/业务员' },
  { code: 'sales.ecommerce', group: 'sales', label: '电商运营/网店客服' },
  { code: 'sales.live_streaming', group: 'sales', label: '直播带货' },

  { code: 'security.guard', group: 'security', label: '保安' },
  { code: 'security.cleaner', group: 'security', label: '保洁员' },
  { code: 'security.sanitation', group: 'security', label: '环卫工' },
  { code: 'security.parking', group: 'security', label: '停车管理员' },

  { code: 'public_sector.public_welfare', group: 'public_sector', label: '乡村公益性岗位' },
  { code: 'public_sector.forest_ranger', group: 'public_sector', label: '生态护林员' },
  { code: 'public_sector.road_maintenance', group: 'public_sector', label: '道路养护员' },
  { code: 'public_sector.community_assistant', group: 'public_sector', label: '村(社区)协管员' },
  { code: 'public_sector.auxiliary', group: 'public_sector', label: '机关事业单位辅助岗' },

  { code: 'office.clerk', group: 'office', label: '文员/行政' },
  { code: 'office.data_entry', group: 'office', label: '录入员' },
  { code: 'office.customer_service', group: 'office', label: '客服/话务员' },
  { code: 'office.accounting', group: 'office', label: '会计/出纳' },
  { code: 'office.reception', group: 'office', label: '前台接待' },

  { code: 'tech.electrician', group: 'tech', label: '电工' },
  { code: 'tech.welder', group: 'tech', label: '焊工' },
  { code: 'tech.plumber', group: 'tech', label: '水暖工' },
  { code: 'tech.auto_repair', group: 'tech', label: '汽车维修' },
  { code: 'tech.appliance_repair', group: 'tech', label: '家电维修' },
  { code: 'tech.cnc', group: 'tech', label: '数控操作' },
  { code: 'tech.crane_operator', group: 'tech', label: '起重/塔吊司机' },
  { code: 'tech.heavy_machinery', group: 'tech', label: '挖掘机/装载机操作' },
] as const satisfies readonly (CodeEntry & { group: JobCategoryGroupCode })[];
export type JobCategoryCode = (typeof JOB_CATEGORIES)[number]['code'];
/** Labels and guard of JOB_CATEGORIES. */
export const { labels: JOB_CATEGORY_LABELS, is: isJobCategoryCode } = defineCodeList(JOB_CATEGORIES);

const JOB_CATEGORY_GROUP_OF = new Map<string, JobCategoryGroupCode>(JOB_CATEGORIES.map((c) => [c.code, c.group]));

/** The group of a job category code, or null when it is not one. */
export function jobCategoryGroup(code: unknown): JobCategoryGroupCode | null {
  return JOB_CATEGORY_GROUP_OF.get(code as string) ?? null;
}

/**
 * Groups whose workers often take each other's jobs (shared skills or
 * workplaces), for the matcher's "related" tier. Symmetric.
 */
export const RELATED_JOB_GROUPS: Readonly<Record<JobCategoryGroupCode, readonly JobCategoryGroupCode[]>> = {
  manufacturing: ['tech', 'logistics', 'construction'],
  construction: ['tech', 'manufacturing'],
  services: ['catering', 'domestic', 'security', 'sales'],
  catering: ['services', 'domestic'],
  logistics: ['manufacturing', 'sales'],
  domestic: ['services', 'catering', 'security'],
  agriculture: ['public_sector'],
  sales: ['services', 'office', 'logistics'],
  security: ['services', 'domestic', 'public_sector'],
  public_sector: ['security', 'agriculture'],
  office: ['sales'],
  tech: ['manufacturing', 'construction'],
};
