/** What a device may ask in one sync op. */
export const SYNC_OP_TYPES = ['household.create', 'household.update', 'laborer.create', 'laborer.update', 'visit.create', 'boarding.checkin', 'rightsCase.open', 'rightsCase.update', 'attendance.record'] as const;
export type SyncOpType = (typeof SYNC_OP_TYPES)[number];

export interface SyncOpInput {
  /** Made by the device (UUID); applying the same opId twice returns the first result. */
  opId: string;
  type: SyncOpType;
  /** The record's id, made by the device for creates. */
  entityId: string;
  /** For updates: the version the device's edit started from. */
  baseVersion?: number;
  data: Record<string, unknown>;
}

/** Why an op was not applied, beyond field errors. */
export type RejectCode =
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'OUT_OF_AREA'
  | 'ALREADY_EXISTS'
  | 'DEPENDENCY_MISSING'
  | 'STALE_BASE'
  | 'DUPLICATE_PERSON'
  | 'REGISTERED_ELSEWHERE'
  | 'ID_CHECKS_LIMITED'
  | 'INTERNAL';

export type SyncOpResult =
  | { opId: string; status: 'applied' | 'duplicate'; entityId: string; version: number }
  | {
      opId: string;
      status: 'conflict';
      entityId: string;
      /** The server's current version: resend with this as baseVersion and the values chosen. */
      version: number;
      /** For each field edited elsewhere since baseVersion: the server's value. */
      conflicts: Record<string, { server: unknown; serverVersion: number }>;
    }
  | {
      opId: string;
      status: 'rejected';
      entityId: string;
      code: RejectCode;
      message: string;
      fields?: Record<string, string>;
      /** True when sending the same op again later may succeed (e.g. its household has not arrived yet). */
      retryable: boolean;
    };
