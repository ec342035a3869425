export * from './core';
export * from './cdk';
