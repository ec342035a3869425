import { IConstruct } from 'constructs';
import { DrkitError, DrkitErrorCode } from '../../core/errors';

/**
 * The planners' refusals: the objective cannot be met by the resource's mechanisms. They are
 * findings about the objective, not malformed input, so a synth collects every one of them.
 */
const PLANNING_REFUSALS: ReadonlySet<string> = new Set([
  DrkitErrorCode.RPO_UNACHIEVABLE,
  DrkitErrorCode.RTO_UNACHIEVABLE,
  DrkitErrorCode.DISRUPTION_NOT_COVERED,
  DrkitErrorCode.SCHEDULE_EXCEEDS_RPO,
  DrkitErrorCode.RETENTION_UNACHIEVABLE,
]);

/** Whether `err` is a planner's refusal (DRK010-DRK014). */
export function isPlanningRefusal(err: unknown): err is DrkitError {
  return DrkitError.isDrkitError(err) && PLANNING_REFUSALS.has(err.code);
}

/**
 * Runs a planner for `scope`. A planning refusal (DRK010-DRK014) becomes a validation error of
 * `scope` and the result is undefined: the construct then adds nothing, and synthesis fails once,
 * listing every refusal of the app with its code and message (issue 14, point 7). Any other error
 * (malformed props) is thrown at once.
 */
export function planOrRefuse<T>(scope: IConstruct, plan: () => T): T | undefined {
  try {
    return plan();
  } catch (e) {
    if (!isPlanningRefusal(e)) throw e;
    const message = e.message;
    scope.node.addValidation({ validate: () => [message] });
    return undefined;
  }
}
