/** What a drkit rule found for one resource. */
export enum RuleCompliance {
  /** The resource meets the rule. */
  COMPLIANT = 'compliant',
  /** The resource breaks the rule. */
  NON_COMPLIANT = 'non-compliant',
  /** The rule does not apply to the resource. */
  NOT_APPLICABLE = 'not-applicable',
}

/** A report gap, as rules see it (the fields of `ReportGap` that rules use). */
export interface RuleGap {
  /** Stack name. */
  readonly stackName: string;
  /** Logical id. */
  readonly logicalId: string;
  /**
   * The disruption.
   * @default - not tied to one disruption
   */
  readonly disruption?: string;
  /** What is wrong. */
  readonly problem: string;
  /** The fix. */
  readonly fix: string;
}

/** The input of a rule: ONE resource of a synthesized template, plus the template for lookups. */
export interface RuleContext {
  /** Name of the stack the template belongs to. */
  readonly stackName: string;
  /** Logical id of the resource. */
  readonly logicalId: string;
  /** The resource as synthesized: `{ Type, Properties, Metadata, DeletionPolicy, ... }`. */
  readonly resource: any;
  /** The whole template (for lookups: backup selections, vaults, plans). */
  readonly template: any;
  /**
   * Region of the stack.
   * @default - unknown (environment-agnostic stack)
   */
  readonly region?: string;
  /**
   * Account of the stack.
   * @default - unknown (environment-agnostic stack)
   */
  readonly account?: string;
  /**
   * Gaps of drkit's recovery report on the app's templates (used by the `report-gaps` rule).
   * @default - no report
   */
  readonly reportGaps?: RuleGap[];
}

/** What a rule returns. */
export interface RuleOutcome {
  /** Compliant, non-compliant or not applicable. */
  readonly compliance: RuleCompliance;
  /**
   * Why the resource is not compliant, with the figures.
   * @default - none
   */
  readonly reason?: string;
}

/** A compliant outcome. */
export function compliant(): RuleOutcome {
  return { compliance: RuleCompliance.COMPLIANT };
}

/** A non-compliant outcome with its reason. */
export function nonCompliant(reason: string): RuleOutcome {
  return { compliance: RuleCompliance.NON_COMPLIANT, reason };
}

/** A not-applicable outcome. */
export function notApplicable(): RuleOutcome {
  return { compliance: RuleCompliance.NOT_APPLICABLE };
}
