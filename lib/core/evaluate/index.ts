export * from './model';
export * from './evaluator';
export { EffectiveBackupPolicy, OrgBackupCopyInfo, OrgBackupPlanInfo, OrgBackupRuleInfo, OrgBackupSelectionInfo, OrgVaultInfo } from './org-policy';
