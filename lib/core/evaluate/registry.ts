import { CfnResource, literal, shown } from './cfn';
import { DOCDB_NEPTUNE_EVALUATORS } from './docdb-neptune';
import { DYNAMODB_EVALUATORS } from './dynamodb';
import { EC2_EVALUATORS } from './ec2';
import { EFS_EVALUATORS } from './efs';
import { ELASTICACHE_EVALUATORS, MEMCACHED_REASON } from './elasticache';
import { FamilyEvaluator } from './family';
import { FSX_EVALUATORS } from './fsx';
import { GENERIC_EVALUATORS } from './generic';
import { RDS_EVALUATORS } from './rds';
import { S3_EVALUATORS } from './s3';
import { NESTED_STACK_METADATA, NOT_ASSESSED_METADATA } from '../template/metadata';

/**
 * Evaluators by CloudFormation type. A family (one file) exports a map of its types; add it
 * here. A type listed in several maps takes the last one (so a dedicated family, such as a
 * future RDS evaluator, listed after GENERIC_EVALUATORS replaces the generic one).
 */
const REGISTRY: { [type: string]: FamilyEvaluator } = {
  ...GENERIC_EVALUATORS,
  ...RDS_EVALUATORS,
  ...DYNAMODB_EVALUATORS,
  ...S3_EVALUATORS,
  // Issue 12: more stateful services, one family per file (they replace generic.ts for their types).
  ...EFS_EVALUATORS,
  ...DOCDB_NEPTUNE_EVALUATORS,
  ...FSX_EVALUATORS,
  ...ELASTICACHE_EVALUATORS,
  ...EC2_EVALUATORS,
};

/** The evaluator for a type, if drkit knows it as stateful. */
export function evaluatorFor(type: string): FamilyEvaluator | undefined {
  return Object.prototype.hasOwnProperty.call(REGISTRY, type) ? REGISTRY[type] : undefined;
}

/** Types evaluated, sorted. */
export function evaluatedTypes(): string[] {
  return Object.keys(REGISTRY).sort();
}

/**
 * Types that hold no data worth a backup (configuration, compute, permissions, wiring).
 * A type neither here nor in the registry goes to the report's "not assessed" list.
 */
const STATELESS_PREFIXES = [
  'AWS::IAM::', 'AWS::KMS::', 'AWS::Lambda::', 'AWS::SNS::', 'AWS::Events::', 'AWS::CloudWatch::',
  'AWS::Backup::', 'AWS::CDK::Metadata', 'Custom::', 'AWS::Logs::', 'AWS::SSM::', 'AWS::CloudFormation::WaitCondition',
  'AWS::CloudFormation::CustomResource', 'AWS::CloudFormation::Macro', 'AWS::CloudFormation::Interface',
  'AWS::CloudFormation::HookVersion', 'AWS::CloudFormation::HookDefaultVersion', 'AWS::CloudFormation::HookTypeConfig',
  'AWS::CloudFormation::ResourceVersion', 'AWS::CloudFormation::ResourceDefaultVersion', 'AWS::CloudFormation::ModuleVersion',
  'AWS::CloudFormation::ModuleDefaultVersion', 'AWS::CloudFormation::PublicTypeVersion', 'AWS::CloudFormation::Publisher',
  'AWS::CloudFormation::TypeActivation', 'AWS::CloudFormation::LambdaHook', 'AWS::CloudFormation::GuardHook',
  'AWS::S3::BucketPolicy', 'AWS::SQS::QueuePolicy', 'AWS::SNS::TopicPolicy', 'AWS::Route53::',
  'AWS::ApiGateway::', 'AWS::ApiGatewayV2::', 'AWS::StepFunctions::', 'AWS::ECS::', 'AWS::ECR::RepositoryPolicy',
  'AWS::ElasticLoadBalancingV2::', 'AWS::AutoScaling::', 'AWS::ApplicationAutoScaling::', 'AWS::CloudFront::',
  'AWS::RDS::DBSubnetGroup', 'AWS::RDS::DBParameterGroup', 'AWS::RDS::DBClusterParameterGroup', 'AWS::RDS::OptionGroup',
  'AWS::EFS::MountTarget', 'AWS::EFS::AccessPoint', 'AWS::DynamoDB::', 'AWS::S3::', 'AWS::EC2::', 'AWS::SecretsManager::RotationSchedule',
  'AWS::SecretsManager::SecretTargetAttachment', 'AWS::WAFv2::', 'AWS::CertificateManager::',
  // A global database is a container: its data is in its member clusters, assessed with the primary.
  'AWS::RDS::GlobalCluster',
  'AWS::SecretsManager::ResourcePolicy',
  // Issue 12: more stateful services. Their configuration parts hold no data of their own.
  'AWS::EFS::FileSystemPolicy', 'AWS::DocDB::DBSubnetGroup', 'AWS::DocDB::DBClusterParameterGroup', 'AWS::DocDB::DBInstance',
  'AWS::DocDB::EventSubscription', 'AWS::Neptune::DBSubnetGroup', 'AWS::Neptune::DBClusterParameterGroup', 'AWS::Neptune::DBParameterGroup',
  'AWS::Neptune::DBInstance', 'AWS::Neptune::EventSubscription', 'AWS::FSx::DataRepositoryAssociation', 'AWS::FSx::StorageVirtualMachine',
  // An FSx volume or snapshot is part of its file system, assessed as a whole.
  'AWS::FSx::Volume', 'AWS::FSx::Snapshot',
  'AWS::FSx::S3AccessPointAttachment', 'AWS::ElastiCache::SubnetGroup', 'AWS::ElastiCache::ParameterGroup', 'AWS::ElastiCache::SecurityGroup',
  'AWS::ElastiCache::SecurityGroupIngress', 'AWS::ElastiCache::User', 'AWS::ElastiCache::UserGroup', 'AWS::MemoryDB::SubnetGroup',
  'AWS::MemoryDB::ParameterGroup', 'AWS::MemoryDB::ACL', 'AWS::MemoryDB::User', 'AWS::DLM::LifecyclePolicy',
  // AWS SAM types that hold no data (SimpleTable is translated to a DynamoDB table before evaluation).
  'AWS::Serverless::Function', 'AWS::Serverless::Api', 'AWS::Serverless::HttpApi', 'AWS::Serverless::LayerVersion',
  'AWS::Serverless::StateMachine', 'AWS::Serverless::Connector', 'AWS::Serverless::GraphQLApi', 'AWS::Serverless::CapacityProvider',
];

/** Why a type that may hold data is not assessed, when drkit can say more than "unknown". */
const NOT_ASSESSED_REASONS: { [type: string]: string } = {
  'AWS::SecretsManager::Secret': 'a secret holds credentials, which drkit does not assess as data: Secrets Manager keeps it in the region; for a region outage replicate it to the standby region (ReplicaRegions) or make sure it can be reset there (a database master password can be)',
  'AWS::Serverless::Application': 'a nested application from the AWS Serverless Application Repository: its resources are not in this template (for a Secrets Manager rotation application, it holds no data)',
  'AWS::CloudFormation::StackSet': 'a stack set deploys its template into other accounts and regions: assess that template on its own (drkit report <template>)',
  'AWS::ElastiCache::GlobalReplicationGroup': 'a Global Datastore links replication groups of several regions: its data is in its member replication groups, assessed on their own; drkit does not assess the cross-region replication',
};

/**
 * Why a resource is listed as not assessed even though its type may have an evaluator: a loop
 * the template preparation cannot expand, or a Memcached cluster (no persistence, no backup).
 * Checked before the evaluator registry.
 */
export function notAssessedBeforeEvaluation(r: CfnResource): string | undefined {
  const reason = r.metadata?.[NOT_ASSESSED_METADATA];
  if (typeof reason === 'string') return reason;
  if (r.type === 'AWS::ElastiCache::CacheCluster' && /^memcached$/i.test(literal(r.properties?.Engine) ?? '')) return MEMCACHED_REASON;
  return undefined;
}

/** Why a resource that no evaluator knows is listed as not assessed; undefined when it is known to hold no data. */
export function notAssessedReasonOf(r: CfnResource): string | undefined {
  if (r.type === 'AWS::CloudFormation::Stack') {
    // A nested stack whose template is in the input (a CDK nested stack in a cloud assembly) is assessed as its own stack.
    if (typeof r.metadata?.[NESTED_STACK_METADATA] === 'string') return undefined;
    return `a nested stack: its resources are in another template (TemplateURL ${shown(r.properties?.TemplateURL)}), which drkit does not fetch; assess it by passing that template to drkit report, or the cloud assembly (cdk.out) that holds it (drkit follows CDK nested stacks there)`;
  }
  if (isKnownStateless(r.type)) return undefined;
  return notAssessedReason(r.type);
}

/** Why a resource of a type drkit does not evaluate is listed as not assessed. */
export function notAssessedReason(type: string): string {
  return NOT_ASSESSED_REASONS[type] ?? 'drkit does not know whether this type holds data: check its backup and recovery by hand';
}

/** True when a type is known to hold no data (checked after the registry). */
export function isKnownStateless(type: string): boolean {
  return STATELESS_PREFIXES.some(p => type.startsWith(p));
}
