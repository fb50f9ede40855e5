import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Trip } from './trip.entity';

export type PassengerSource = 'hired' | 'applied' | 'signup' | 'officer';

/**
 * One seat on a trip's roster. Seats can't be overbooked, by the database: a seat number is unique per trip
 * and lies between 1 and `tripSeats`, a copy of the trip's seats that the composite foreign key
 * (trip_id, trip_seats) → trips (id, seats) keeps equal (ON UPDATE CASCADE: cutting a trip's seats below a
 * taken seat fails the check). One row per laborer per trip.
 */
@Entity('trip_passengers')
@Unique('uq_trip_passengers_seat', ['tripId', 'seatNo'])
@Unique('uq_trip_passengers_laborer', ['tripId', 'laborerId'])
@Unique('uq_trip_passengers_check_code', ['tripId', 'checkCode'])
@Index('idx_trip_passengers_laborer', ['laborerId'])
@Index('idx_trip_passengers_employer', ['employerId'])
@Check('ck_trip_passengers_seat', `"seat_no" BETWEEN 1 AND "trip_seats"`)
export class TripPassenger {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'trip_id', type: 'uuid' })
  tripId!: string;

  @Column({ name: 'trip_seats', type: 'smallint' })
  tripSeats!: number;

  @ManyToOne(() => Trip, { onDelete: 'CASCADE', onUpdate: 'CASCADE' })
  @JoinColumn([
    { name: 'trip_id', referencedColumnName: 'id' },
    { name: 'trip_seats', referencedColumnName: 'seats' },
  ])
  trip?: Trip;

  @Column({ name: 'laborer_id', type: 'uuid' })
  laborerId!: string;

  /** The laborer's village when put on the roster: whose area the row is. */
  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  /** The destination employer of this passenger (one of the trip's), whose contact confirms receipt. */
  @Column({ name: 'employer_id', type: 'uuid', nullable: true })
  employerId!: string | null;

  @Column({ name: 'pickup_point', type: 'varchar', length: 16, nullable: true })
  pickupPoint!: string | null;

  @Column({ name: 'seat_no', type: 'smallint' })
  seatNo!: number;

  @Column({ type: 'varchar', length: 16 })
  source!: PassengerSource;

  /** The secret of the passenger's boarding QR code (checked offline against the escort's manifest). */
  @Column({ name: 'check_code', type: 'varchar', length: 16 })
  checkCode!: string;

  @Column({ name: 'added_by', type: 'uuid' })
  addedBy!: string;

  @Column({ name: 'boarded_at', type: 'timestamptz', nullable: true })
  boardedAt!: Date | null;

  @Column({ name: 'boarded_by', type: 'uuid', nullable: true })
  boardedBy!: string | null;

  @Column({ name: 'boarded_op_id', type: 'uuid', nullable: true })
  boardedOpId!: string | null;

  @Column({ name: 'handed_over_at', type: 'timestamptz', nullable: true })
  handedOverAt!: Date | null;

  @Column({ name: 'handed_over_by', type: 'uuid', nullable: true })
  handedOverBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
