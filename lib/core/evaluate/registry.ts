import { DYNAMODB_EVALUATORS } from './dynamodb';
import { FamilyEvaluator } from './family';
import { GENERIC_EVALUATORS } from './generic';
import { RDS_EVALUATORS } from './rds';
import { S3_EVALUATORS } from './s3';

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
  'AWS::Backup::', 'AWS::CDK::Metadata', 'Custom::', 'AWS::Logs::', 'AWS::SSM::', 'AWS::CloudFormation::',
  'AWS::S3::BucketPolicy', 'AWS::SQS::QueuePolicy', 'AWS::SNS::TopicPolicy', 'AWS::Route53::',
  'AWS::ApiGateway::', 'AWS::ApiGatewayV2::', 'AWS::StepFunctions::', 'AWS::ECS::', 'AWS::ECR::RepositoryPolicy',
  'AWS::ElasticLoadBalancingV2::', 'AWS::AutoScaling::', 'AWS::ApplicationAutoScaling::', 'AWS::CloudFront::',
  'AWS::RDS::DBSubnetGroup', 'AWS::RDS::DBParameterGroup', 'AWS::RDS::DBClusterParameterGroup', 'AWS::RDS::OptionGroup',
  'AWS::EFS::MountTarget', 'AWS::EFS::AccessPoint', 'AWS::DynamoDB::', 'AWS::S3::', 'AWS::EC2::', 'AWS::SecretsManager::RotationSchedule',
  'AWS::SecretsManager::SecretTargetAttachment', 'AWS::WAFv2::', 'AWS::CertificateManager::',
  // A global database is a container: its data is in its member clusters, assessed with the primary.
  'AWS::RDS::GlobalCluster',
  'AWS::SecretsManager::ResourcePolicy',
];

/** Why a type that may hold data is not assessed, when drkit can say more than "unknown". */
const NOT_ASSESSED_REASONS: { [type: string]: string } = {
  'AWS::SecretsManager::Secret': 'a secret holds credentials, which drkit does not assess as data: Secrets Manager keeps it in the region; for a region outage replicate it to the standby region (ReplicaRegions) or make sure it can be reset there (a database master password can be)',
  'AWS::Serverless::Application': 'a nested application from the AWS Serverless Application Repository: its resources are not in this template (for a Secrets Manager rotation application, it holds no data)',
};

/** Why a resource of a type drkit does not evaluate is listed as not assessed. */
export function notAssessedReason(type: string): string {
  return NOT_ASSESSED_REASONS[type] ?? 'drkit does not know whether this type holds data: check its backup and recovery by hand';
}

/** True when a type is known to hold no data (checked after the registry). */
export function isKnownStateless(type: string): boolean {
  return STATELESS_PREFIXES.some(p => type.startsWith(p));
}
