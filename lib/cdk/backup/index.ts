export * from './objective-backup';
export * from './backup-account-stack';
export * from './protected-scope';
export * from './organization-protection';
