export * from './regions';
export * from './roles';
export * from './errors';
export * from './api';
export * from './codes';
export * from './id-number';
export * from './survey';
export * from './jobs';
