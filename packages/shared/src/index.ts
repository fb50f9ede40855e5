export * from './regions';
export * from './roles';
export * from './errors';
export * from './api';
