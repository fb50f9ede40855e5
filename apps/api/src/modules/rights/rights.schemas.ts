import { Type, TSchema } from '@sinclair/typebox';
import { CALENDAR_DAY_KINDS, RIGHTS_CASE_KINDS, RIGHTS_CASE_SOURCES, RIGHTS_STATUSES, RIGHTS_MAX_AMOUNT_FEN, type RightsCaseView, type RightsOverdueByArea } from '@jobbridge/shared';
import { Closed, Nullable, Uuid, viewSchema } from '../../schemas';

const lit = (codes: ReadonlyArray<{ code: string }>) => Type.Union(codes.map((c) => Type.Literal(c.code)));
export const Kind = lit(RIGHTS_CASE_KINDS);
const Source = lit(RIGHTS_CASE_SOURCES);
const Status = lit(RIGHTS_STATUSES);
export const DayKind = lit(CALENDAR_DAY_KINDS);
export const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD（中国日期）' });
export const Fen = Type.Integer({ minimum: 0, maximum: RIGHTS_MAX_AMOUNT_FEN, description: '金额，单位：分' });
export const Action = Type.Union(
  ['accept', 'refuse', 'finish_investigation', 'decide', 'serve', 'resolve', 'refer', 'close', 'extend', 'suspend', 'resume'].map((a) => Type.Literal(a)),
);

/** The fields an edit may change, as a sync conflict names them (survey.schemas.ts SyncConflictsSchema takes them too). */
export const RIGHTS_CASE_EDIT_SCHEMAS: Record<string, TSchema> = {
  employerId: Uuid,
  employerName: Type.String({ maxLength: 100 }),
  place: Type.String({ maxLength: 200 }),
  amountClaimed: Fen,
  description: Type.String({ maxLength: 2000 }),
};

const Suspension = Closed({ from: IsoDate, to: Nullable(IsoDate) });

/** A case as the API answers it: the shared `RightsCaseView` (tsc fails when the two differ). */
export const CaseView = viewSchema<RightsCaseView>()(Closed({
  id: Uuid,
  regionCode: Type.String(),
  regionName: Nullable(Type.String()),
  kind: Kind,
  source: Source,
  status: Status,
  employerId: Nullable(Uuid),
  employerName: Type.String(),
  place: Type.String(),
  amountClaimed: Nullable(Fen),
  amountRecovered: Nullable(Fen),
  description: Type.String(),
  reporterName: Type.String({ description: '求助人姓名（脱敏：张*；完整的见 reveal-reporter）' }),
  reporterPhone: Nullable(Type.String({ description: '求助人电话（脱敏）' })),
  handlerId: Nullable(Uuid),
  handlerName: Nullable(Type.String()),
  openedOn: IsoDate,
  stageStartedOn: IsoDate,
  stageExtended: Type.Boolean(),
  factsClear: Type.Boolean(),
  suspended: Type.Boolean(),
  suspensions: Type.Array(Suspension),
  dueLabel: Nullable(Type.String()),
  dueDate: Nullable(IsoDate),
  overdue: Type.Boolean(),
  workingDaysLeft: Nullable(Type.Integer()),
  closedOn: Nullable(IsoDate),
  sharedWithPartner: Type.Boolean(),
  partnerRegionCode: Nullable(Type.String()),
  partnerRegionName: Nullable(Type.String()),
  viaPartner: Type.Boolean({ description: '经东西部协作共享而可见（只读）' }),
  version: Type.Integer(),
  actions: Type.Array(Action, { description: '本账号现在可以办理的操作' }),
  createdAt: Type.String({ format: 'date-time' }),
}));

const Value = Type.Union([Type.String(), Type.Integer(), Type.Null()]);
const Change = Type.Optional(Closed({ from: Type.Optional(Value), to: Type.Optional(Value) }));
/** What a history entry changed: the fields a step, an edit, the handler, sharing or the calendar can change. */
const Changes = Closed(
  Object.fromEntries(['status', 'dueDate', 'amountRecovered', 'handlerId', 'partnerRegionCode', 'employerId', 'employerName', 'place', 'amountClaimed', 'description'].map((f) => [f, Change])),
);
export const CaseDetail = Closed({
  ...CaseView.properties,
  mayShare: Type.Boolean({ description: '本账号可否决定与东西部协作地区共享此案件（县级及以上、办理权限、非协作地区）' }),
  history: Type.Array(
    Closed({
      action: Type.String(),
      fromStatus: Nullable(Type.String()),
      toStatus: Type.String(),
      changes: Changes,
      reason: Nullable(Type.String()),
      onDate: IsoDate,
      actorName: Nullable(Type.String()),
      version: Type.Integer(),
      at: Type.String({ format: 'date-time' }),
    }),
  ),
});

/** GET /rights/overdue: the shared `RightsOverdueByArea` (the console's dashboard card and 维权 page read it). */
export const OverdueByAreaView = viewSchema<RightsOverdueByArea>()(Closed({
  regionCode: Nullable(Type.String()),
  today: IsoDate,
  items: Type.Array(Closed({ regionCode: Type.String(), regionName: Nullable(Type.String()), open: Type.Integer(), overdue: Type.Integer(), dueSoon: Type.Integer() })),
}));
