import { buildApp } from './reference-app';
import { DrkitRulesPlugin } from '../../lib/cdk/rules/plugin';
import { testApp } from '../util';

/**
 * The reference stack passes drkit's own rules (the plugin would fail its synth otherwise). The
 * global table's region row rests on replication with no published bound (issue 12, point 6): it
 * is `unverified`, not a gap (issue 10), so the gate passes and the report says how to verify it.
 */
test('the reference app passes DrkitRulesPlugin with no finding', () => {
  const validate = jest.spyOn(DrkitRulesPlugin.prototype, 'validate');
  const { app } = buildApp(testApp(), { nag: false });
  DrkitRulesPlugin.addTo(app);
  app.synth();
  expect(validate).toHaveBeenCalledTimes(1);
  const report = validate.mock.results[0].value;
  expect(report.violations.map((v: any) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  expect(report.success).toBe(true);
});
