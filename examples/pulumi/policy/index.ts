/**
 * drkit's rules as a Pulumi CrossGuard policy pack: the equivalent, for Pulumi programs, of
 * `DrkitRulesPlugin` for CDK apps. Run it against any Pulumi program that deploys AWS resources,
 * drkit-built or not:
 *
 *   pulumi preview --policy-pack <path to this folder>
 *   pulumi up --policy-pack <path to this folder>
 *   pulumi policy analyze --policy-pack <path to this folder> --stack <stack>   (the deployed state)
 *
 * Every stateful AWS resource of the stack is held to one objective: RPO 30 minutes, RTO 1 hour
 * against data corruption, an AZ outage and a region outage, 30 days of point-in-time recovery,
 * restore points in vaults locked in governance mode. A resource tagged `drkit:excluded` (the
 * reason as the tag's value) is left out. Violations are mandatory: preview and update fail.
 */
// A policy pack provides @pulumi/policy; drkit/pulumi/policy checks its version when it loads.
import { Disruption, Immutability, Period, RecoveryObjective, Retention } from 'drkit/core';
import { drkitPolicyPack } from 'drkit/pulumi/policy';

/** The objective every stateful resource is held to. */
export const objective = RecoveryObjective.of({
  name: 'sync-service',
  rpo: Period.minutes(30),
  rto: Period.hours(1),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
  backupInterval: Period.hours(6),
  retention: Retention.of({ pointInTime: Period.days(30), daily: 30, monthly: 12 }),
  immutability: Immutability.GOVERNANCE,
});

// The same as `new PolicyPack('drkit-dr', { policies: drkitPolicies({ objective }) })`.
drkitPolicyPack('drkit-dr', { objective });
