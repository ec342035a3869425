// The one-time organization settings that CloudFormation cannot set, as data: the README,
// docs/organizations.md and `drkit report` print them with the CLI command for each.

/** One setting an organization needs before drkit's organization constructs work. */
export interface OrganizationPrecondition {
  /** Stable id, for example `backup-trusted-access`. */
  readonly id: string;
  /** What it turns on. */
  readonly title: string;
  /** Which account runs the command. */
  readonly account: string;
  /** The AWS CLI command. */
  readonly command: string;
  /** Why drkit needs it. */
  readonly why: string;
  /** Where AWS documents it. */
  readonly source: string;
}

/** What `OrganizationPreconditions.list` fills in. */
export interface OrganizationPreconditionOptions {
  /**
   * The organization's root id (`r-` followed by 4 to 32 characters).
   * @default '<root-id>' (a placeholder in the command)
   */
  readonly rootId?: string;
  /**
   * The account to make delegated administrator for AWS Backup (and StackSets).
   * @default - no delegated administrator step
   */
  readonly delegatedAdminAccount?: string;
  /**
   * Whether an objective copies to a central backup account (cross-account backup must be on).
   * @default true
   */
  readonly crossAccountCopies?: boolean;
}

/** The organization settings CloudFormation cannot set, each with its CLI command and source. */
export class OrganizationPreconditions {
  /** The settings, in the order to run them (all from the management account). */
  public static list(options: OrganizationPreconditionOptions = {}): OrganizationPrecondition[] {
    const root = options.rootId ?? '<root-id>';
    const out: OrganizationPrecondition[] = [
      {
        id: 'backup-trusted-access',
        title: 'trusted access for AWS Backup (cross-account management and monitoring)',
        account: 'management',
        command: 'aws organizations enable-aws-service-access --service-principal backup.amazonaws.com',
        why: 'AWS Backup manages backup policies and shows backup, copy and restore jobs of every member account only with trusted access',
        source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/manage-cross-account.html',
      },
      {
        id: 'backup-policy-type',
        title: 'the BACKUP_POLICY policy type in the organization root',
        account: 'management',
        command: `aws organizations enable-policy-type --root-id ${root} --policy-type BACKUP_POLICY`,
        why: 'AWS::Organizations::Policy of type BACKUP_POLICY fails until the type is enabled: "Before you can create a policy of a given type, you must first enable that policy type in your organization"',
        source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-organizations-policy.html',
      },
      {
        id: 'stacksets-trusted-access',
        title: 'trusted access for CloudFormation StackSets (service-managed permissions)',
        account: 'management',
        command: 'aws cloudformation activate-organizations-access',
        why: 'a StackSet with PermissionModel SERVICE_MANAGED deploys the member baseline (vault, key, roles) to the target OUs only with trusted access',
        source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-activate-trusted-access.html',
      },
    ];
    if (options.crossAccountCopies ?? true) {
      out.push({
        id: 'backup-cross-account',
        title: 'cross-account backup (copies to the central backup account)',
        account: 'management',
        command: 'aws backup update-global-settings --global-settings isCrossAccountBackupEnabled=true',
        why: 'copy actions into the central account\'s vault fail while cross-account backup is off; "Returns an error if the account is not an Organizations management account"',
        source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_UpdateGlobalSettings.html',
      });
    }
    if (options.delegatedAdminAccount) {
      const a = options.delegatedAdminAccount;
      out.push({
        id: 'backup-delegated-admin',
        title: `account ${a} as delegated administrator for AWS Backup`,
        account: 'management',
        command: `aws organizations register-delegated-administrator --account-id ${a} --service-principal backup.amazonaws.com`,
        why: 'lets the platform account deploy the backup policy and watch jobs instead of the management account (it also needs an Organizations resource-based delegation policy allowing the backup policy actions)',
        source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/manage-cross-account.html',
      }, {
        id: 'stacksets-delegated-admin',
        title: `account ${a} as delegated administrator for CloudFormation StackSets`,
        account: 'management',
        command: `aws organizations register-delegated-administrator --account-id ${a} --service-principal member.org.stacksets.cloudformation.amazonaws.com`,
        why: 'lets that account deploy the service-managed StackSet (with CallAs DELEGATED_ADMIN)',
        source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-delegated-admin.html',
      });
    }
    return out;
  }

  private constructor() {}
}
