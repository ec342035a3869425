/** A synthesized CloudFormation template and where it is deployed. */
export interface StackTemplate {
  /** Stack name. */
  readonly stackName: string;
  /**
   * Region the stack is deployed to.
   * @default - unknown (environment-agnostic)
   */
  readonly region?: string;
  /**
   * Account the stack is deployed to.
   * @default - unknown (environment-agnostic)
   */
  readonly account?: string;
  /** The template (parsed JSON). */
  readonly template: any;
  /**
   * Where the template was read from.
   * @default - not read from a file
   */
  readonly templatePath?: string;
  /**
   * Constructs excluded from protection that have no resource in the template (imported
   * resources), from the cloud assembly's `drkit:excluded` metadata.
   * @default - none
   */
  readonly exclusions?: StackExclusion[];
  /**
   * For a nested stack: the name of the stack whose `AWS::CloudFormation::Stack` resource creates it.
   * @default - not a nested stack
   */
  readonly parentStackName?: string;
  /**
   * For a nested stack: the logical id of its `AWS::CloudFormation::Stack` resource in the parent.
   * @default - not a nested stack
   */
  readonly parentLogicalId?: string;
}

/** A construct excluded from protection, by construct path, with the reason. */
export interface StackExclusion {
  /** Construct path. */
  readonly path: string;
  /** Why it is excluded. */
  readonly reason: string;
}

/** Something that keeps a resource from its objective (or from any restore point), with the fix. */
export interface ReportGap {
  /** Stack name. */
  readonly stackName: string;
  /** Logical id. */
  readonly logicalId: string;
  /** CloudFormation type. */
  readonly resourceType: string;
  /**
   * The disruption (`corruption`, `az`, `region`, `account`).
   * @default - not tied to one disruption
   */
  readonly disruption?: string;
  /** What is wrong, with the figures. */
  readonly problem: string;
  /** A concrete fix. */
  readonly fix: string;
}
