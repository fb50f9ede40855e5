import { Foundation1795314686568 } from './1795314686568-Foundation';

/** Every migration in order; `npm run db:generate -w @jobbridge/api -- Name` writes new ones. */
export const MIGRATIONS: Function[] = [Foundation1795314686568];
