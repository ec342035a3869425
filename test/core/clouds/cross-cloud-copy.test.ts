import { Disruption, DrkitErrorCode, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { CrossCloudCopyPlanner } from '../../../lib/core/clouds/gcp';

describe('CrossCloudCopyPlanner.fromS3', () => {
  test('the longest standard interval that fits the tightest RPO; every disruption counted as off-provider', () => {
    const o = RecoveryObjective.of({
      rpo: Period.hours(24),
      rto: Period.hours(4),
      disruptions: [Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
      perDisruption: [{ disruption: Disruption.ACCOUNT_COMPROMISE, rpo: Period.hours(7) }],
      retention: Retention.of({ pointInTime: Period.days(30) }),
    });
    const plan = CrossCloudCopyPlanner.fromS3(o, { resourceName: 'c' });
    expect(plan).toMatchObject({ repeatIntervalHours: 6, startHourUtc: 5, noncurrentVersionDays: 30, softDeleteDays: 30, offProviderCopy: true });
    expect(plan.report.map(r => [r.disruption, r.mechanismIds, r.rpoSeconds, r.rpoKind, r.rpoIsLowerBound, r.rtoSeconds])).toEqual([
      ['region', ['gcp.storage-transfer.s3'], 6 * 3600, 'estimated', true, 0],
      ['account', ['gcp.storage-transfer.s3'], 6 * 3600, 'estimated', true, 0],
    ]);
  });

  test('refuses an RPO under the 1-hour minimum interval and a backupInterval longer than the RPO', () => {
    expect(() => CrossCloudCopyPlanner.fromS3(RecoveryObjective.of({ rpo: Period.minutes(30), rto: Period.hours(1), disruptions: [Disruption.ACCOUNT_COMPROMISE], name: 'o' }), { resourceName: 'c' }))
      .toThrow('[DRK010] `rpo` 30 minutes against account compromise cannot be met for cross-cloud copy c (objective "o"): a Storage Transfer Service job repeats at most every 1 hour (https://cloud.google.com/storage-transfer/docs/reference/rest/v1/transferJobs#Schedule) and the transfer time is not published; keep tighter protection in AWS (S3 replication) and give the copy an rpo of at least 1 hour with `perDisruption`');
    let code: string | undefined;
    try {
      CrossCloudCopyPlanner.fromS3(RecoveryObjective.of({ rpo: Period.hours(4), rto: Period.hours(1), disruptions: [Disruption.ACCOUNT_COMPROMISE], backupInterval: Period.hours(6) }), { resourceName: 'c' });
    } catch (e: any) {
      code = e.code;
    }
    expect(code).toBe(DrkitErrorCode.SCHEDULE_EXCEEDS_RPO);
    expect(CrossCloudCopyPlanner.fromS3(RecoveryObjective.of({ rpo: Period.hours(4), rto: Period.hours(1), disruptions: [Disruption.ACCOUNT_COMPROMISE], backupInterval: Period.hours(3) }), { resourceName: 'c' }).repeatIntervalHours).toBe(3);
  });
});

describe('issue 13 #16: the copy\'s RPO is a lower bound, and failed runs are notified', () => {
  test('the line is marked as a lower bound, says what is not counted, and the plan names the failure events', () => {
    const plan = CrossCloudCopyPlanner.fromS3(RecoveryObjective.of({ rpo: Period.hours(12), rto: Period.hours(4), disruptions: [Disruption.ACCOUNT_COMPROMISE] }), { resourceName: 'c' });
    expect(plan.report[0]).toMatchObject({ rpoSeconds: 12 * 3600, rpoIsLowerBound: true });
    expect(plan.report[0].basis).toMatch(/^at least 12 hours: .*not counted: a start later than scheduled and the transfer time \(`startTimeOfDay` is "The time in UTC that a transfer job is scheduled to run. Transfers may start later than this time"/);
    expect(plan.notificationEventTypes).toEqual(['TRANSFER_OPERATION_FAILED', 'TRANSFER_OPERATION_ABORTED']);
    expect(plan.advisories[1]).toContain('the copy\'s RPO is a lower bound');
  });
});
