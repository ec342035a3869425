import { Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import { testApp } from '../../util';

/** A stack in a concrete environment, with a plain backup vault as the input vault. */
export function vaultStack(id = 'Stack'): { stack: Stack; vault: backup.BackupVault } {
  const app = testApp();
  const stack = new Stack(app, id, { env: { account: '111111111111', region: 'eu-west-1' } });
  const vault = new backup.BackupVault(stack, 'Vault', { backupVaultName: 'app-vault' });
  return { stack, vault };
}
