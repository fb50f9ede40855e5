import { Type, TSchema } from '@sinclair/typebox';
import type { HouseholdData, LaborerData } from '@jobbridge/shared';
import { Closed, Nullable, Strict, Uuid, viewSchema } from '../../schemas';
import type { HouseholdView, LaborerView, VisitView } from './survey.views';
import { RIGHTS_CASE_EDIT_SCHEMAS } from '../rights/rights.schemas';

/**
 * The response shapes of survey records (a household with its members and
 * visits, a laborer, their histories, the change feed, sync conflicts):
 * closed, so Fastify's serializer sends only these fields, and tied to the
 * views of survey.views.ts by `viewSchema` (tsc fails when they drift). The
 * fields are those of HouseholdData and LaborerData (packages/shared): a field
 * added there fails tsc here until it has a schema. The ID number and the
 * birth date have none: only the masked number and the age are sent, and the
 * full number only through the audited reveal.
 */

const Text = Type.String();
const NullableText = Nullable(Type.String());
const NullableInt = Nullable(Type.Integer());
const Strings = Type.Array(Type.String());
const Timestamp = Type.String({ format: 'date-time' });
/** Codes are sent as stored; their lists and Chinese names are in packages/shared/src/codes.ts. */
const Code = (list: string) => Type.String({ description: `代码（${list}）` });
const NullableCode = (list: string) => Nullable(Code(list));
const NullableDate = Nullable(Type.String({ description: 'YYYY-MM-DD' }));

/** Each household field as it is sent (and kept in the history). */
const HOUSEHOLD_FIELD_SCHEMAS = {
  regionCode: Type.String({ description: '所在村的 12 位区划代码' }),
  address: Text,
  headName: Text,
  povertyStatus: Code('POVERTY_STATUSES'),
  phone: Nullable(Type.String({ description: '户的联系电话：村就业信息员看到完整号码，其他角色为脱敏号码（如 138****5678）' })),
} satisfies Record<keyof HouseholdData, TSchema>;

/** Each laborer field a response may carry, as it is sent: every field of LaborerData but the ID number and the birth date. */
const LABORER_FIELD_SCHEMAS = {
  householdId: Uuid,
  name: Text,
  sex: Code('SEXES'),
  phone: Nullable(Type.String({ description: '手机号：单人记录与村就业信息员为完整号码，其他角色成批读取时为脱敏号码' })),
  relationToHead: NullableCode('RELATIONS_TO_HEAD'),
  education: Code('EDUCATION_LEVELS'),
  health: Code('HEALTH_STATUSES'),
  disabilityType: NullableCode('DISABILITY_TYPES'),
  disabilityGrade: NullableInt,
  skills: Strings,
  certificates: Strings,
  isHardToEmploy: Type.Boolean(),
  employmentStatus: Code('EMPLOYMENT_STATUSES'),
  employer: NullableText,
  workPlace: NullableText,
  employedSince: NullableDate,
  monthlyIncome: NullableInt,
  migrationStatus: Code('MIGRATION_STATUSES'),
  awayPlace: NullableText,
  awaySince: NullableDate,
  returnedAt: NullableDate,
  returnReason: NullableCode('RETURN_REASONS'),
  serviceNeeds: Strings,
  wantedJobCategories: Strings,
  workScopes: Strings,
  preferredPlaces: Strings,
  minMonthlyWage: NullableInt,
  needsBoardLodging: Type.Boolean(),
  trainingWanted: Strings,
} satisfies Record<Exclude<keyof LaborerData, 'idNumber' | 'birthDate'>, TSchema>;

const HouseholdSchema = viewSchema<HouseholdView>()(
  Closed({ id: Uuid, ...HOUSEHOLD_FIELD_SCHEMAS, version: Type.Integer(), updatedAt: Timestamp }, { description: '户' }),
);

const LaborerSchema = viewSchema<LaborerView>()(
  Closed(
    {
      id: Uuid,
      regionCode: Type.String(),
      idNumberMasked: Type.String({ description: '脱敏身份证号，只显示前 6 位，如 451425************' }),
      age: Type.Integer({ description: '周岁（不返回出生日期：与脱敏身份证号一起会暴露完整号码）' }),
      ...LABORER_FIELD_SCHEMAS,
      version: Type.Integer(),
      updatedAt: Timestamp,
    },
    { description: '劳动力' },
  ),
);

const VisitSchema = viewSchema<VisitView>()(
  Closed(
    {
      id: Uuid,
      householdId: Uuid,
      laborerId: Nullable(Uuid),
      regionCode: Type.String(),
      officerId: Uuid,
      visitedAt: Timestamp,
      location: Nullable(Closed({ lat: Type.Number(), lng: Type.Number(), accuracy: Nullable(Type.Number()) })),
      note: NullableText,
      changedFields: Strings,
    },
    { description: '入户走访' },
  ),
);

/** `GET /households/:id`. */
export const HouseholdDetailSchema = Closed({ ...HouseholdSchema.properties, members: Type.Array(LaborerSchema), visits: Type.Array(VisitSchema, { description: '最近 100 次走访，最新的在前' }) });

/** `GET /laborers/:id`: the laborer, the ID number masked (the full one only through `POST /laborers/:id/reveal-id-number`). */
export const LaborerDetailSchema = Closed({ ...LaborerSchema.properties });

/** `POST /laborers/:id/reveal-id-number`: why the full number is needed (kept in the reveal's audit event). */
export const RevealBodySchema = Strict({ reason: Type.Optional(Type.String({ maxLength: 1000, description: '查看理由，2-200 字，记入审计日志（不能写身份证号、手机号等号码）' })) });
export const RevealedSchema = Closed({ idNumber: Type.String({ description: '完整身份证号' }) });

// ---- Histories ----

const Change = <T extends TSchema>(t: T) => Closed({ from: Type.Optional(Nullable(t)), to: Type.Optional(Nullable(t)) }, { description: 'from 修改前（新增的字段无此项）、to 修改后' });
const changesOf = <P extends Record<string, TSchema>>(fields: P) =>
  Closed(
    {
      created: Type.Optional(Closed({ to: Type.Literal(true) }, { description: '记录在这一版新建' })),
      ...(Object.fromEntries(Object.entries(fields).map(([k, t]) => [k, Type.Optional(Change(t))])) as Record<string, TSchema>),
    },
    { description: '这一版改动的字段（字段名 → 修改前后的值）；手机号按查看者的角色脱敏' },
  );

/** What a household's version may change. */
const HouseholdChanges = changesOf(HOUSEHOLD_FIELD_SCHEMAS);

/**
 * What a laborer's version may change: the fields a survey may edit, and the
 * household and village a transfer moves them to. Sex and the birth date come
 * from the ID number and are never edited, so they have no place here (a
 * history row written before that rule keeps them in the database, not in
 * the answer).
 */
const { sex: _sex, ...LABORER_CHANGEABLE } = LABORER_FIELD_SCHEMAS;
const LaborerChanges = changesOf({ ...LABORER_CHANGEABLE, regionCode: Type.String() });

const historyOf = (changes: TSchema) =>
  Closed({
    items: Type.Array(
      Closed({
        version: Type.Integer(),
        at: Timestamp,
        actorId: Uuid,
        deviceId: Nullable(Type.String({ description: '改动来自的设备；服务器代为修改时为 server:… ' })),
        changes,
      }),
      { description: '从第 1 版起' },
    ),
  });

export const HouseholdHistorySchema = historyOf(HouseholdChanges);
export const LaborerHistorySchema = historyOf(LaborerChanges);

// ---- Sync ----

/** A field of a sync update that another device changed meanwhile: the server's value and the version that set it. */
const conflict = (t: TSchema) => Type.Optional(Closed({ server: Nullable(t), serverVersion: Type.Integer() }));
const conflictsOf = (fields: Record<string, TSchema>) => Object.fromEntries(Object.entries(fields).map(([k, t]) => [k, conflict(t)]));

/** A conflict names fields of the household, laborer or labor-rights case the op updates (the first two both have regionCode and phone, of the same type). */
export const SyncConflictsSchema = Closed(
  { ...conflictsOf(LABORER_CHANGEABLE), ...conflictsOf(HOUSEHOLD_FIELD_SCHEMAS), ...conflictsOf(RIGHTS_CASE_EDIT_SCHEMAS) },
  { description: '本设备修改的字段中，已被他人改成别的值的：服务器的值与版本（仅发送者本人收到）' },
);

/** One entry of the change feed: the record's current state per type, or `removed` when it left the area. */
export const FeedItemSchema = Type.Union(
  [
    Closed({ type: Type.Literal('household'), id: Uuid, removed: Type.Literal(false), record: HouseholdSchema }),
    Closed({ type: Type.Literal('laborer'), id: Uuid, removed: Type.Literal(false), record: LaborerSchema }),
    Closed({ type: Type.Literal('visit'), id: Uuid, removed: Type.Literal(false), record: VisitSchema }),
    Closed({ type: Type.Union([Type.Literal('household'), Type.Literal('laborer'), Type.Literal('visit')]), id: Uuid, removed: Type.Literal(true) }, { description: '已离开本区域（或已删除）：设备应删去本地副本' }),
  ],
  { description: '按 type 区分：household 户、laborer 劳动力、visit 走访；removed 为 true 时无 record' },
);
