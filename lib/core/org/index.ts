export * from './policy';
export * from './validate';
export * from './member';
export * from './preconditions';
export * from './stackset';
export * from './read';
