import { requireProvider } from '../common/provider';

// Deep imports (@pulumi/azure-native/storage) and the resource shapes used here are those of
// @pulumi/azure-native 3.
requireProvider('@pulumi/azure-native', 3, 'drkit/pulumi/azure');

export * from './bucket';
export * from './lifecycle';
export * from './databases';
export * from './backup';

// The objective model and this cloud's enums, so a Pulumi program needs one import (and
// never loads the CDK half of drkit).
export { BoundKind, Disruption, DrkitError, DrkitErrorCode, DrkitErrors, Immutability, Period, RecoveryObjective, RecoveryTier, Retention } from '../../core';
export { AzureBackupPlanner, AzureBlobTier, AzureDatabasePlanner, AzureImmutabilityState, AzurePlanner } from '../../core/clouds/azure';
