export * from './organization-backup-policy';
export * from './organization-member-baseline';
export * from './central-backup-vault';
