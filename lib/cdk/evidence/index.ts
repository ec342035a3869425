export * from './protected-resource-type';
export * from './restore-testing';
export * from './audit-framework';
export * from './notifications';
export * from './dashboard';
export * from './recovery-access';
