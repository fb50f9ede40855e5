import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

export type TripDirection = 'outbound' | 'return';
export type TripStatus = 'open' | 'boarding' | 'departed' | 'arrived' | 'cancelled';

/** A pickup point of a trip: `id` is short and stable (`p1`), `time` when the coach stops there (ISO date-time). */
export interface PickupPoint {
  id: string;
  name: string;
  time: string;
}

export interface Driver {
  name: string;
  phone: string;
}

/**
 * A point-to-point chartered trip (点对点输送, "出家门进车门，出车门进厂门"): from a county (`regionCode`, the
 * managing area: staff of the county run it) to employers and/or an east-west partner region, outbound to
 * work or home for the festival (`return`). `seats` bounds the roster through the passengers' copy of it
 * (trip-passenger.entity.ts: the composite foreign key on (id, seats) keeps the copy equal).
 */
@Entity('trips')
@Index('idx_trips_region_departure', ['regionCode', 'departureAt'])
@Unique('uq_trips_id_seats', ['id', 'seats'])
@Check('ck_trips_seats', `"seats" BETWEEN 1 AND 99`)
@Check('ck_trips_status', `"status" IN ('open', 'boarding', 'departed', 'arrived', 'cancelled')`)
@Check('ck_trips_direction', `"direction" IN ('outbound', 'return')`)
export class Trip {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The origin county (6 digits), the trip's area. */
  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ type: 'varchar', length: 100 })
  title!: string;

  @Column({ type: 'varchar', length: 16 })
  direction!: TripDirection;

  @Column({ name: 'departure_at', type: 'timestamptz' })
  departureAt!: Date;

  /** Destination employers (ids of `employers`); their contacts confirm receipt of their passengers. */
  @Column({ name: 'employer_ids', type: 'jsonb' })
  employerIds!: string[];

  /** The east-west partner region the trip goes to (a cooperation pair of the county), if any. */
  @Column({ name: 'partner_region_code', type: 'varchar', length: 12, collation: 'C', nullable: true })
  partnerRegionCode!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  destination!: string | null;

  @Column({ type: 'varchar', length: 50 })
  vehicle!: string;

  @Column({ type: 'smallint' })
  seats!: number;

  @Column({ type: 'jsonb' })
  drivers!: Driver[];

  /** Accounts that escort the trip (护送员): they download its manifest and check passengers in. */
  @Column({ name: 'escort_ids', type: 'jsonb' })
  escortIds!: string[];

  @Column({ name: 'pickup_points', type: 'jsonb' })
  pickupPoints!: PickupPoint[];

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status!: TripStatus;

  @Column({ name: 'departed_at', type: 'timestamptz', nullable: true })
  departedAt!: Date | null;

  @Column({ name: 'arrived_at', type: 'timestamptz', nullable: true })
  arrivedAt!: Date | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @Column({ name: 'updated_by', type: 'uuid' })
  updatedBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
