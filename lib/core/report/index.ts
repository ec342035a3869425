export * from './types';
export * from './report';
