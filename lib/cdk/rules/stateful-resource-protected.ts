import { resourceTags, selectionsCovering, STATEFUL_TYPES } from './lookups';
import { compliant, nonCompliant, notApplicable, RuleContext, RuleOutcome } from './rule';
import { isTrue, literal, num } from '../../core/evaluate/cfn';
import { dlmPoliciesCovering } from '../../core/evaluate/ec2';
import { efsNativeProtection } from '../../core/evaluate/efs';

/**
 * Every stateful resource (DynamoDB Table / GlobalTable, S3 bucket, RDS instance / cluster,
 * EFS file system, EBS volume) has a backup or replication mechanism: point-in-time recovery,
 * an AWS Backup selection that picks it, replication, automated backups. A resource excluded on
 * purpose (`drkit:excluded` metadata with its reason) is not applicable; a replica drkit made
 * (`drkit:replica-of`) is compliant.
 */
export function statefulResourceProtected(ctx: RuleContext): RuleOutcome {
  const type = ctx.resource?.Type;
  if (!STATEFUL_TYPES.includes(type)) return notApplicable();
  const p = ctx.resource.Properties ?? {};
  if (type === 'AWS::RDS::DBInstance' && p.DBClusterIdentifier !== undefined) return notApplicable(); // the cluster owns the backups
  // Left out of protection on purpose, with a reason (ProtectedScope's `exclude`), as the report shows it.
  const excluded = ctx.resource.Metadata?.['drkit:excluded'];
  if (typeof excluded === 'string' && excluded.trim() !== '') return notApplicable();
  // A replica drkit made of another resource (CrossRegionReplicatedBucket, DrStandby) is itself the copy.
  if (ctx.resource.Metadata?.['drkit:replica-of'] !== undefined) return compliant();
  if (selectionsCovering(ctx).length > 0) return compliant();
  switch (type) {
    case 'AWS::DynamoDB::Table':
      if (isTrue(p.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled)) return compliant();
      return nonCompliant(`DynamoDB table ${ctx.logicalId} has neither point-in-time recovery nor an AWS Backup selection`);
    case 'AWS::DynamoDB::GlobalTable': {
      const replicas: any[] = Array.isArray(p.Replicas) ? p.Replicas : [];
      if (replicas.length >= 2) return compliant();
      if (replicas.length > 0 && replicas.every(r => isTrue(r?.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled))) return compliant();
      return nonCompliant(`DynamoDB global table ${ctx.logicalId} has one replica without point-in-time recovery and no AWS Backup selection`);
    }
    case 'AWS::S3::Bucket': {
      const rules: any[] = Array.isArray(p.ReplicationConfiguration?.Rules) ? p.ReplicationConfiguration.Rules : [];
      if (rules.some(r => literal(r?.Status) === 'Enabled')) return compliant();
      return nonCompliant(`S3 bucket ${ctx.logicalId} has no enabled replication rule and no AWS Backup selection`);
    }
    case 'AWS::RDS::DBInstance': {
      if (p.SourceDBInstanceIdentifier !== undefined) return compliant(); // a read replica
      const days = num(p.BackupRetentionPeriod);
      if (p.BackupRetentionPeriod === undefined || (days !== undefined && days > 0)) return compliant(); // CloudFormation default: 1 day
      return nonCompliant(`RDS instance ${ctx.logicalId} has BackupRetentionPeriod ${JSON.stringify(p.BackupRetentionPeriod)} (automated backups off) and no AWS Backup selection`);
    }
    case 'AWS::RDS::DBCluster': {
      const days = num(p.BackupRetentionPeriod);
      if (p.BackupRetentionPeriod === undefined || (days !== undefined && days > 0)) return compliant(); // automated backups cannot be turned off on a cluster
      return nonCompliant(`RDS cluster ${ctx.logicalId} has BackupRetentionPeriod ${JSON.stringify(p.BackupRetentionPeriod)}, which is not a literal positive number, and no AWS Backup selection`);
    }
    case 'AWS::EFS::FileSystem': {
      // The same judgement as the recovery report's EFS evaluator (one source of truth).
      const efs = efsNativeProtection(p);
      if (efs.automaticBackups || efs.replicationDestinations.length > 0) return compliant();
      return nonCompliant(`EFS file system ${ctx.logicalId} has no automatic backup (${efs.automaticBackupsBasis}), no replication and no AWS Backup selection`);
    }
    case 'AWS::EC2::Volume':
    default: {
      // The same Data Lifecycle Manager test as the recovery report's EBS evaluator.
      const resources = Object.entries<any>(ctx.template?.Resources ?? {})
        .map(([logicalId, r]) => ({ logicalId, stackName: ctx.stackName, type: r?.Type, properties: r?.Properties }));
      if (dlmPoliciesCovering(resources, 'VOLUME', resourceTags(ctx.resource)).length > 0) return compliant();
      return nonCompliant(`EBS volume ${ctx.logicalId} is selected by no AWS Backup selection and no Data Lifecycle Manager policy`);
    }
  }
}
