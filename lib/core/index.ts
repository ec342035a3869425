export * from './errors';
export * from './period';
export * from './objective';
export * from './catalog';
export * from './plan';
