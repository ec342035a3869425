import { evaluateStacks } from '../../../lib/core/evaluate/evaluator';
import { DisruptionAssessment, ResourceAssessment } from '../../../lib/core/evaluate/model';
import { RecoveryObjective } from '../../../lib/core/objective';
import { Period } from '../../../lib/core/period';

const ACCOUNT = '111111111111';
const objective = RecoveryObjective.of({ name: 'db', rpo: Period.minutes(30), rto: Period.hours(1) });

function target(r: ResourceAssessment, d: string): DisruptionAssessment {
  return r.disruptions.find(x => x.disruption === d)!;
}

const instance = (extra: any = {}) => ({
  Type: 'AWS::RDS::DBInstance',
  DeletionPolicy: 'Retain',
  UpdateReplacePolicy: 'Retain',
  Properties: {
    Engine: 'postgres',
    DBInstanceClass: 'db.r6g.large',
    DBInstanceIdentifier: 'app-db',
    StorageEncrypted: true,
    // What RdsPitrPolicy renders for the objective's default 35-day point-in-time window.
    BackupRetentionPeriod: 35,
    DeletionProtection: true,
    ...extra,
  },
  Metadata: { 'drkit:objective': objective.toJson(), 'drkit:construct': 'RdsPitrPolicy' },
});

describe('RDS evaluator', () => {
  test('automated backup replication covers a region outage at 30 minutes (typical, the upper end of 5-30), with its restore runbook; Multi-AZ covers an AZ', () => {
    const e = evaluateStacks([{
      stackName: 'App',
      region: 'us-east-1',
      account: ACCOUNT,
      template: { Resources: { Db: instance({ MultiAZ: true, AutomaticBackupReplicationRegion: 'us-west-2', AutomaticBackupReplicationRetentionPeriod: 30 }) } },
    }]);
    expect(e.resources).toHaveLength(1);
    const db = e.resources[0];
    expect(db.construct).toBe('RdsPitrPolicy');
    // AWS Prescriptive Guidance: "ranging 5–30 minutes"; the upper end counts; the restore time is not published.
    expect(target(db, 'region')).toMatchObject({ status: 'unverified', rpoSeconds: 1800, rpoKind: 'typical', mechanisms: ['aws.rds.backup-replication'] });
    expect(target(db, 'region').basis).toContain('ranging 5–30 minutes');
    expect(target(db, 'az')).toMatchObject({ rpoSeconds: 0, rtoSeconds: 120, mechanisms: ['aws.rds.multi-az', 'aws.rds.pitr'] });
    expect(db.restorePoints.some(p => p.region === 'us-west-2' && p.offRegion)).toBe(true);
    const commands = db.runbook.flatMap(x => x.commands).join('\n');
    expect(commands).toContain('aws rds restore-db-instance-to-point-in-time --region us-west-2 --source-db-instance-automated-backups-arn');
    expect(e.gaps).toEqual([]);
  });

  test('a cross-region read replica in another stack is assessed with its source, with the promote command', () => {
    const e = evaluateStacks([
      { stackName: 'App', region: 'us-east-1', account: ACCOUNT, template: { Resources: { Db: instance() } } },
      {
        stackName: 'App-standby-us-west-2',
        region: 'us-west-2',
        account: ACCOUNT,
        template: {
          Resources: {
            Replica: {
              Type: 'AWS::RDS::DBInstance',
              DeletionPolicy: 'Retain',
              Properties: { SourceDBInstanceIdentifier: `arn:aws:rds:us-east-1:${ACCOUNT}:db:app-db`, DBInstanceClass: 'db.r6g.large' },
              Metadata: { 'drkit:construct': 'DrStandby' },
            },
          },
        },
      },
    ]);
    expect(e.resources.map(r => r.logicalId)).toEqual(['Db']);
    const region = target(e.resources[0], 'region');
    expect(region.mechanisms).toEqual(['aws.rds.read-replica']);
    // No published bound for replica lag: the objective's RPO can be neither shown met nor missed.
    expect(region.status).toBe('unverified');
    expect(region.verification).toMatch(/^a measured bound on data loss for the RPO/);
    expect(e.resources[0].runbook.flatMap(x => x.commands).join('\n')).toContain('aws rds promote-read-replica --db-instance-identifier <identifier of Replica in stack App-standby-us-west-2> --region us-west-2');
  });

  test('an Aurora global database: about one second and one minute against a region outage; the secondary is not assessed on its own', () => {
    const e = evaluateStacks([
      {
        stackName: 'App',
        region: 'us-east-1',
        account: ACCOUNT,
        template: {
          Resources: {
            Cluster: {
              Type: 'AWS::RDS::DBCluster',
              DeletionPolicy: 'Retain',
              Properties: { Engine: 'aurora-postgresql', EngineVersion: '16.4', StorageEncrypted: true, DeletionProtection: true, BackupRetentionPeriod: 30, MasterUsername: 'admin' },
              Metadata: { 'drkit:objective': objective.toJson() },
            },
            Global: {
              Type: 'AWS::RDS::GlobalCluster',
              Properties: { GlobalClusterIdentifier: 'app-cluster', SourceDBClusterIdentifier: { 'Fn::GetAtt': ['Cluster', 'DBClusterArn'] } },
            },
          },
        },
      },
      {
        stackName: 'App-standby-us-west-2',
        region: 'us-west-2',
        account: ACCOUNT,
        template: {
          Resources: {
            Secondary: {
              Type: 'AWS::RDS::DBCluster',
              DeletionPolicy: 'Retain',
              Properties: { Engine: 'aurora-postgresql', EngineVersion: '16.4', GlobalClusterIdentifier: 'app-cluster', StorageEncrypted: true },
              Metadata: { 'drkit:replica-of': 'App/Cluster' },
            },
          },
        },
      },
    ]);
    expect(e.resources.map(r => r.logicalId)).toEqual(['Cluster']);
    const c = e.resources[0];
    // The promotion (1 minute, typical) is a lower bound: detection and DNS have no bound.
    expect(target(c, 'region')).toMatchObject({
      status: 'unverified',
      rpoSeconds: 1,
      rpoKind: 'typical',
      rtoSeconds: 60,
      rtoKind: 'estimated',
      rtoIsLowerBound: true,
      rtoNote: 'promotion 1m typical; detection and DNS not bounded',
      mechanisms: ['aws.aurora.global-database'],
    });
    // No instance of the cluster in the input: no reader to promote, so no RTO bound against an AZ outage.
    expect(target(c, 'az')).toMatchObject({ rpoSeconds: 0, rpoKind: 'documented', rtoKind: 'none', rtoIsLowerBound: false });
    expect(target(c, 'az').rtoSeconds).toBeUndefined();
    expect(target(c, 'az').mechanisms[0]).toBe('aws.aurora.multi-az');
    expect(target(c, 'az').basis).toContain('no DB instance of the cluster is in the input');
    // The secondary's own encryption is shown on its row.
    expect(c.restorePoints.find(p => p.mechanism === 'aws.aurora.global-database')).toMatchObject({ region: 'us-west-2', encryption: 'KMS (AWS managed key)' });
    expect(c.restorePoints[0]).toMatchObject({ mechanism: 'live', encryption: 'KMS (AWS managed key)' });
    expect(c.runbook.flatMap(x => x.commands).join('\n')).toContain('aws rds failover-global-cluster --global-cluster-identifier app-cluster --target-db-cluster-identifier <ARN of Secondary in stack App-standby-us-west-2> --region us-west-2');
  });

  test('an unencrypted instance without deletion protection: findings; no region mechanism: gap with the RDS fix', () => {
    const e = evaluateStacks([{
      stackName: 'App',
      region: 'us-east-1',
      account: ACCOUNT,
      template: { Resources: { Db: instance({ StorageEncrypted: false, DeletionProtection: false }) } },
    }]);
    const findings = e.resources[0].findings.join('\n');
    expect(findings).toContain('storage is not encrypted');
    expect(findings).toContain('deletion protection is off');
    const gap = e.gaps.find(g => g.disruption === 'region')!;
    expect(gap.fix).toContain('AutomaticBackupReplicationRegion');
  });
});
