import type { DataSource } from 'typeorm';
import type { RecommendationTriggers } from '../recommendations/triggers';

/** Employers, postings, their xlsx import and the monthly issues (期次) of the job supply list. */
export class JobsService {
  constructor(
    private readonly ds: DataSource,
    private readonly triggers: RecommendationTriggers,
  ) {}
}
