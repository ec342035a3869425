export * from './common';
export * from './gcp';
export * from './azure';
