// drkit/pulumi/aws: Pulumi components for AWS.
//
// The provider check runs before any module below loads @pulumi/aws, so a missing or
// old provider fails with one DRK030 line instead of a crash deep inside a component.
// @pulumi/aws 7 is the first major with the per-resource `region` input drkit uses for
// copies in a secondary region.
import { requireProvider } from '../common/provider';

requireProvider('@pulumi/aws', 7, 'drkit/pulumi/aws');

export { BACKUP_ACCOUNT_VAULT_NAME } from './backup';
export * from './dynamo-continuous-backup';
export * from './lifecycle-tiering';
export * from './cross-region-replicated-bucket';
export * from './rds-pitr-policy';
export * from './dr-standby';
export * from './backup-foundation';
export * from './recovery-access';
export { CloudReportEntry, StandbyReportEntry, TieringReportEntry } from './report';
export * from './org';
