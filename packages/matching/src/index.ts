export * from './types';
export * from './engine';
export * from './posting-index';
