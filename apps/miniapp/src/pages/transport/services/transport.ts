import Taro from '@tarojs/taro';
import QRCode from 'qrcode';
import { request } from '../../../services/api';
import type { Outbox } from '../../../services/outbox';
import { taroStorage, type KeyValueStorage } from '../../../services/storage';

export interface PickupPoint {
  id: string;
  name: string;
  time: string;
}

export interface TripView {
  id: string;
  title: string;
  direction: 'outbound' | 'return';
  departureAt: string;
  vehicle: string;
  seats: number;
  status: 'open' | 'boarding' | 'departed' | 'arrived' | 'cancelled';
  pickupPoints: PickupPoint[];
  employers: Array<{ id: string; name: string }>;
  destination: string | null;
  counts: { booked: number; boarded: number; povertyBoarded: number; noShows: number; handedOver: number };
  mine: { manages: boolean; escorts: boolean };
}

export interface ManifestPassenger {
  id: string;
  name: string;
  seatNo: number;
  pickupPoint: string | null;
  villageName: string | null;
  employerName: string | null;
  checkCode: string;
  boardedAt: string | null;
  boardedByName: string | null;
}

export interface Manifest {
  trip: TripView;
  downloadedAt: string;
  passengers: ManifestPassenger[];
}

/** A trip's direction as the pages say it: out to work (节后接送出门), or home for the festival (节前返乡). */
export const DIRECTION_LABELS: Record<TripView['direction'], string> = { outbound: '外出务工', return: '返乡' };

export const STATUS_LABELS: Record<TripView['status'], string> = { open: '报名中', boarding: '登车中', departed: '已发车', arrived: '已到达', cancelled: '已取消' };

export const listTrips = () => request<{ items: TripView[] }>({ path: '/transport/trips' });
export const fetchManifest = (tripId: string) => request<Manifest>({ path: `/transport/trips/${tripId}/manifest` });
export const setTripStatus = (tripId: string, status: TripView['status']) => request<TripView>({ method: 'POST', path: `/transport/trips/${tripId}/status`, data: { status } });

// ---- the escort's phone: the manifest and the check-ins, kept locally ----

/** A check-in made on this phone (the op it queued), or one the manifest already knew of. */
export interface LocalCheckIn {
  at: string;
  by: string;
  opId: string | null;
}

interface Kept {
  manifest: Manifest;
  checkIns: Record<string, LocalCheckIn>;
}

const keyOf = (accountId: string, tripId: string) => `jb.${accountId}.manifest.${tripId}`;

/** The boarding code's parts (the worker's QR: `JBT1.<passengerId>.<checkCode>`), or a bare check code typed in. */
export function parseBoardingCode(text: string): { passengerId: string | null; checkCode: string } | null {
  const t = text.trim().toUpperCase();
  const m = /^JBT1\.([0-9A-F-]{36})\.([A-Z2-9]{6,16})$/.exec(t);
  if (m) return { passengerId: m[1].toLowerCase(), checkCode: m[2] };
  return /^[A-Z2-9]{6,16}$/.test(t) ? { passengerId: null, checkCode: t } : null;
}

export type CheckInResult =
  | { kind: 'boarded'; passenger: ManifestPassenger }
  | { kind: 'already'; passenger: ManifestPassenger; by: string; at: string }
  | { kind: 'unknown' };

/**
 * The escort's manifest on this phone, and boarding against it with no network: a check-in is a lookup in
 * the kept manifest and one op in the survey's outbox (`boarding.checkin`), sent whenever the phone is
 * online again. A second check of the same person answers who checked them in and when.
 */
export class BoardingBook {
  private kept: Kept | null;

  constructor(
    private readonly accountId: string,
    private readonly myName: string,
    readonly tripId: string,
    private readonly storage: KeyValueStorage = taroStorage,
  ) {
    const raw = storage.get(keyOf(accountId, tripId));
    this.kept = raw && typeof raw === 'object' ? (raw as Kept) : null;
  }

  get manifest(): Manifest | null {
    return this.kept?.manifest ?? null;
  }

  /** Keeps a freshly downloaded manifest; check-ins made here and not yet known to the server stay. */
  keep(manifest: Manifest): void {
    const checkIns: Record<string, LocalCheckIn> = {};
    for (const [id, c] of Object.entries(this.kept?.checkIns ?? {})) if (c.opId) checkIns[id] = c;
    for (const p of manifest.passengers) if (p.boardedAt) checkIns[p.id] = { at: p.boardedAt, by: p.boardedByName ?? '他人', opId: null };
    this.kept = { manifest, checkIns };
    this.save();
  }

  private save(): void {
    if (this.kept) this.storage.set(keyOf(this.accountId, this.tripId), this.kept);
  }

  checkInOf(passengerId: string): LocalCheckIn | null {
    return this.kept?.checkIns[passengerId] ?? null;
  }

  get boardedCount(): number {
    return Object.keys(this.kept?.checkIns ?? {}).length;
  }

  /** Passengers whose name (or seat number) matches `q`. */
  search(q: string): ManifestPassenger[] {
    const t = q.trim();
    if (!t || !this.kept) return [];
    return this.kept.manifest.passengers.filter((p) => p.name.includes(t) || String(p.seatNo) === t);
  }

  /** Checks a scanned or typed boarding code against the manifest. */
  checkCode(text: string, outbox: Outbox, now = new Date()): CheckInResult {
    const code = parseBoardingCode(text);
    if (!code || !this.kept) return { kind: 'unknown' };
    const p = this.kept.manifest.passengers.find((x) => x.checkCode === code.checkCode && (code.passengerId === null || x.id === code.passengerId));
    if (!p) return { kind: 'unknown' };
    return this.board(p, 'scan', outbox, now);
  }

  /** Checks a passenger in by name (chosen from `search`). */
  checkName(passengerId: string, outbox: Outbox, now = new Date()): CheckInResult {
    const p = this.kept?.manifest.passengers.find((x) => x.id === passengerId);
    return p ? this.board(p, 'name', outbox, now) : { kind: 'unknown' };
  }

  private board(p: ManifestPassenger, method: 'scan' | 'name', outbox: Outbox, now: Date): CheckInResult {
    const prev = this.kept!.checkIns[p.id];
    if (prev) return { kind: 'already', passenger: p, by: prev.by, at: prev.at };
    const at = now.toISOString();
    const op = outbox.enqueue('boarding.checkin', p.id, { tripId: this.tripId, at, method, ...(method === 'scan' ? { checkCode: p.checkCode } : {}) });
    this.kept!.checkIns[p.id] = { at, by: this.myName, opId: op.opId };
    this.save();
    return { kind: 'boarded', passenger: p };
  }
}

/** Opens the camera in the mini-program (Taro.scanCode); null when cancelled or not available (H5: type the code). */
export async function scanBoardingCode(): Promise<string | null> {
  try {
    const r = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
    return r.result ?? null;
  } catch {
    return null;
  }
}

// ---- the worker ----

export interface MySeat {
  passengerId: string;
  trip: { id: string; title: string; direction: TripView['direction']; departureAt: string; destination: string | null; employers: string[]; vehicle: string; status: TripView['status']; pickupPoints: PickupPoint[] };
  seatNo: number;
  pickupPoint: PickupPoint | null;
  qr: string;
  checkCode: string;
  boardedAt: string | null;
  handedOverAt: string | null;
}

export interface OpenTrip {
  id: string;
  title: string;
  direction: TripView['direction'];
  departureAt: string;
  destination: string | null;
  employers: string[];
  vehicle: string;
  pickupPoints: PickupPoint[];
  freeSeats: number;
}

export const getMyTransport = () => request<{ seats: MySeat[]; open: OpenTrip[] }>({ path: '/me/transport' });
export const signUp = (tripId: string, pickupPoint: string | null) => request<{ id: string; seatNo: number }>({ method: 'POST', path: `/me/transport/trips/${tripId}/signup`, data: { pickupPoint } });
export const cancelSignUp = (tripId: string, passengerId: string) => request<void>({ method: 'DELETE', path: `/me/transport/trips/${tripId}/signup/${passengerId}` });

/** The boarding code as an image (an SVG data URL: no canvas, the same in H5 and the mini-program). */
export async function boardingQrImage(payload: string): Promise<string> {
  const svg = await QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  if (process.env.TARO_ENV === 'h5') return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  const bytes = Uint8Array.from(svg, (c) => c.charCodeAt(0));
  return `data:image/svg+xml;base64,${Taro.arrayBufferToBase64(bytes.buffer)}`;
}

// ---- the employer's contact ----

export interface HandoverTrip {
  id: string;
  title: string;
  departureAt: string;
  vehicle: string;
  status: TripView['status'];
  passengers: Array<{ id: string; name: string; seatNo: number; handedOverAt: string | null }>;
}

export const listHandovers = () => request<{ items: HandoverTrip[] }>({ path: '/me/transport/handovers' });
export const handOver = (passengerId: string) => request<{ id: string; handedOverAt: string; repeated: boolean; tripStatus: TripView['status'] }>({ method: 'POST', path: `/me/transport/passengers/${passengerId}/handover` });
