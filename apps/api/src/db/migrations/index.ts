import { Foundation1795314686568 } from './1795314686568-Foundation';
import { SurveyRecords1795316651597 } from './1795316651597-SurveyRecords';

/** Every migration in order; `npm run db:generate -w @jobbridge/api -- Name` writes new ones. */
export const MIGRATIONS: Function[] = [Foundation1795314686568, SurveyRecords1795316651597];
