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
];

/** True when a type is known to hold no data (checked after the registry). */
export function isKnownStateless(type: string): boolean {
  return STATELESS_PREFIXES.some(p => type.startsWith(p));
}
