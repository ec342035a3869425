// drkit/pulumi/policy: drkit's rules as a Pulumi CrossGuard policy pack.
//
// The check runs before any module below loads @pulumi/policy, so a missing or old policy SDK
// fails with one DRK030 line. A policy pack program provides @pulumi/policy (1.x), as a
// Pulumi program provides @pulumi/aws.
import { requireProvider } from '../common/provider';

requireProvider('@pulumi/policy', 1, 'drkit/pulumi/policy');

export * from './policies';
