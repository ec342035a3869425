import { requireProvider } from '../common/provider';

// drkit is built and tested against @pulumi/gcp 9; 8 is the oldest major it accepts (the inputs it
// sets, such as softDeletePolicy, rpo and backupdisasterrecovery, exist there).
requireProvider('@pulumi/gcp', 8, 'drkit/pulumi/gcp');

export * from './bucket';
export * from './lifecycle';
export * from './databases';
export * from './backup';
export * from './cross-cloud-copy';

// The objective model and this cloud's enums, so a Pulumi program needs one import (and
// never loads the CDK half of drkit).
export { BoundKind, Disruption, DrkitError, DrkitErrorCode, DrkitErrors, Immutability, Period, RecoveryObjective, RecoveryTier, Retention } from '../../core';
export { CloudSqlEdition, CrossCloudCopyPlanner, GcpBackupPlanner, GcpDatabasePlanner, GcpPlanner, GcsStorageClass } from '../../core/clouds/gcp';
