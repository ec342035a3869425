export * from './rule';
export * from './plugin';
export * from './stack-limits';
