/**
 * Organization scale (issue 17): the management stack (OrganizationBackupPolicy plus
 * OrganizationMemberBaseline) for 1 OU vs 50 accounts as policy targets, and 1 vs 10 regions.
 * The resources stay the same; the policy document grows only by the target ids (in the
 * template, not the policy content) and the region names. Prints the quotas that bound it, with
 * their sources. Run: `npx ts-node --prefer-ts-exts bench/org.ts`.
 */
import { App, Stack } from 'aws-cdk-lib';
import { OrganizationBackupPolicy, OrganizationMemberBaseline } from '../lib/cdk/org';
import { ChildPolicyControl, Disruption, Facts, Immutability, Period, RecoveryObjective, Retention } from '../lib/core';

const OBJECTIVE = RecoveryObjective.of({
  name: 'gold',
  rpo: Period.hours(1),
  rto: Period.hours(4),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
  perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(25) }],
  retention: Retention.of({ pointInTime: Period.days(35), daily: 30, monthly: 12 }),
  immutability: Immutability.COMPLIANCE,
});
const TEN_REGIONS = ['us-east-1', 'us-east-2', 'eu-west-1', 'eu-west-2', 'eu-central-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'ca-central-1', 'sa-east-1'];
const FIFTY_ACCOUNTS = Array.from({ length: 50 }, (_, i) => String(100000000000 + i));

interface Row {
  readonly targets: string;
  readonly regions: number;
  readonly control: string;
  readonly resources: number;
  readonly templateBytes: number;
  readonly policyChars: number;
  readonly templateBodyBytes: number;
  readonly stackSetRegions: number;
}

function measure(targets: string[], regions: string[], control: ChildPolicyControl): Row {
  const app = new App();
  const stack = new Stack(app, 'Management', { env: { account: '999988887777', region: 'us-east-1' } });
  const policy = new OrganizationBackupPolicy(stack, 'Policy', { objectives: [OBJECTIVE], regions, secondaryRegion: 'us-west-2', targetIds: targets, childPolicyControl: control });
  const baseline = new OrganizationMemberBaseline(stack, 'Baseline', { plan: policy.plan, organizationalUnitIds: ['ou-ab12-cdef3456'] });
  const template = app.synth().getStackByName('Management').template;
  return {
    targets: targets.length === 1 ? '1 OU' : `${targets.length} accounts`,
    regions: regions.length,
    control,
    resources: Object.keys(template.Resources).length,
    templateBytes: Buffer.byteLength(JSON.stringify(template)),
    policyChars: policy.plan.contentCharacters,
    templateBodyBytes: Buffer.byteLength(baseline.stackSet.templateBody as string),
    stackSetRegions: policy.plan.memberRegions.length,
  };
}

const rows: Row[] = [];
for (const control of [ChildPolicyControl.LOCKED, ChildPolicyControl.OPEN]) {
  for (const targets of [['ou-ab12-cdef3456'], FIFTY_ACCOUNTS]) {
    for (const regions of [['us-east-1'], TEN_REGIONS]) rows.push(measure(targets, regions, control));
  }
}
console.log('| child control | policy targets | regions | resources | template bytes | policy characters | StackSet TemplateBody bytes | StackSet regions |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.control} | ${r.targets} | ${r.regions} | ${r.resources} | ${r.templateBytes} | ${r.policyChars} | ${r.templateBodyBytes} | ${r.stackSetRegions} |`);
}
const resources = new Set(rows.map(r => r.resources));
if (resources.size !== 1) throw new Error(`the management stack's resources vary: ${[...resources].join(', ')}`);
const perRegion = (rows[1].policyChars - rows[0].policyChars) / 9;
console.log('\nStack instances the StackSet creates: one per member account and member region (for example 50 accounts x 11 regions = 550; the management account gets none).');
console.log(`\nresources: ${[...resources][0]} in every case; policy content: +${perRegion.toFixed(1)} characters per region (locked), independent of the number of targets`);
console.log('\nQuotas that bound it:');
for (const f of [Facts.ORG_BACKUP_POLICY_SIZE, Facts.ORG_BACKUP_POLICIES_PER_ORG_FACT, Facts.ORG_POLICIES_PER_TARGET,
  Facts.STACKSET_TEMPLATE_BODY, Facts.STACKSET_OUS_PER_OPERATION_FACT, Facts.STACKSET_INSTANCES_PER_STACK_SET, Facts.STACKSET_INSTANCE_OPERATIONS]) {
  console.log(`- ${f.statement} (${f.source})`);
}
