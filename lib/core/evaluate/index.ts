export * from './model';
export * from './evaluator';
