// The planner moved to lib/core/plan-backup.ts (engine-neutral, shared with Pulumi).
export { kindTitle, planBackupResource } from '../../core/plan-backup';
