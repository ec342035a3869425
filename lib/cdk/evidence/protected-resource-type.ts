import { DrkitError, DrkitErrorCode } from '../../core/errors';

/**
 * A resource type as AWS Backup names it: the `ProtectedResourceType` of a restore testing
 * selection and the `ComplianceResourceTypes` of a Backup Audit Manager control scope.
 *
 * Enum-like: the static members are the types drkit protects; construct your own for
 * another type AWS Backup supports (for example `new ProtectedResourceType('FSx')`).
 *
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartRestoreJob.html
 */
export class ProtectedResourceType {
  /** Amazon DynamoDB tables. */
  public static readonly DYNAMODB = new ProtectedResourceType('DynamoDB');
  /** Amazon S3 buckets. */
  public static readonly S3 = new ProtectedResourceType('S3');
  /** Amazon RDS DB instances. */
  public static readonly RDS = new ProtectedResourceType('RDS');
  /** Amazon Aurora DB clusters. */
  public static readonly AURORA = new ProtectedResourceType('Aurora');
  /** Amazon EFS file systems. */
  public static readonly EFS = new ProtectedResourceType('EFS');
  /** Amazon EBS volumes. */
  public static readonly EBS = new ProtectedResourceType('EBS');

  /**
   * @param value the name AWS Backup uses, for example `DynamoDB`
   */
  constructor(public readonly value: string) {
    if (typeof value !== 'string' || !/^[A-Za-z0-9 ]{1,50}$/.test(value)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `a protected resource type must be the name AWS Backup uses (letters and digits, for example "DynamoDB", "S3", "RDS", "Aurora", "EFS" or "EBS"), but got ${JSON.stringify(value)}`);
    }
  }

  /** The name AWS Backup uses. */
  public toString(): string {
    return this.value;
  }
}
