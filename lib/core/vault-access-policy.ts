/**
 * What AWS Backup vaults drkit creates deny to everyone, in their access policy: deleting a
 * recovery point and changing its lifecycle (retention). One statement for every engine: the
 * Pulumi foundation's vaults, the organization member vaults (StackSet template) and the central
 * vault. The CDK vaults get it from aws-cdk-lib (`blockRecoveryPointDeletion`).
 *
 * @param sid the statement's Sid (each vault keeps the one it was deployed with)
 * @internal
 */
export function denyRecoveryPointDeletion(sid: string): { [key: string]: any } {
  return {
    Sid: sid,
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
    Resource: '*',
  };
}
