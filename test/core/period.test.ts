import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { DrkitError, DrkitErrorCode, Period, Retention, StandbyPlanner } from '../../lib/core';
import { isUnresolvedNumber } from '../../lib/core/period';

describe('Period', () => {
  test.each([
    ['30s', 30],
    ['15m', 900],
    ['1h', 3600],
    ['1h30m', 5400],
    ['35d', 35 * 86400],
    ['2w', 14 * 86400],
    [' 6H ', 6 * 3600],
  ])('parses %s', (text, seconds) => {
    expect(Period.parse(text).totalSeconds).toBe(seconds);
  });

  test.each(['', '30', 'm', '5 minutes', '1y', '-5m', '1h foo'])('refuses %p with DRK001', (text) => {
    try {
      Period.parse(text);
      throw new Error('expected a DrkitError');
    } catch (e) {
      expect(DrkitError.isDrkitError(e)).toBe(true);
      expect((e as DrkitError).code).toBe(DrkitErrorCode.INVALID_DURATION);
      expect((e as DrkitError).message).toBe(`[DRK001] \`${text}\` is not a duration: use a number and a unit (s, m, h, d, w), for example 30m, 1h or 35d`);
    }
  });

  test('refuses negative and non-finite amounts, naming the call and the unit as written', () => {
    expect(() => Period.minutes(-5)).toThrow('[DRK001] `Period.minutes(amount)` needs a finite, non-negative number of minutes, but got -5 minutes');
    expect(() => Period.days(-1)).toThrow('[DRK001] `Period.days(amount)` needs a finite, non-negative number of days, but got -1 days');
    expect(() => Period.hours(Infinity)).toThrow(/DRK001/);
  });

  test('an unresolved CDK token (CfnParameter.valueAsNumber) as a duration or a count: DRK004 naming the input', () => {
    const token: number = new CfnParameter(new Stack(), 'Minutes', { type: 'Number' }).valueAsNumber;
    expect(token).toBeLessThan(-1e289);
    const caught = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e as DrkitError;
      }
      throw new Error('expected a DrkitError');
    };
    const e = caught(() => Period.minutes(token));
    expect(e.code).toBe(DrkitErrorCode.UNRESOLVED_VALUE);
    expect(e.message).toBe('[DRK004] `Period.minutes(amount)` is an unresolved token (a value known only at deployment, such as CfnParameter.valueAsNumber): drkit plans backups and checks objectives at synth time with concrete values; give a number');
    expect(caught(() => Retention.of({ daily: token })).message).toContain('`retention.daily` is an unresolved token');
    expect(caught(() => StandbyPlanner.checkDetection({ requestIntervalSeconds: 30, failureThreshold: token, ttlSeconds: 60 }, 'App/Standby')).message)
      .toContain('`failureThreshold` of the health check of App/Standby is an unresolved token');
    // Real negative numbers stay DRK001: only the encoded-token range is a token.
    expect(isUnresolvedNumber(-1.5e289)).toBe(false);
    expect(isUnresolvedNumber(token)).toBe(true);
  });

  test('renders compact and human text', () => {
    expect(Period.minutes(90).toString()).toBe('1h 30m');
    expect(Period.hours(1).toHuman()).toBe('1 hour');
    expect(Period.minutes(15).toHuman()).toBe('15 minutes');
    expect(Period.days(35).toHuman()).toBe('35 days');
    expect(Period.seconds(0).toString()).toBe('0s');
  });

  test('toString round-trips through parse (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 400 * 86400 }), (s) => {
      const p = Period.seconds(s);
      expect(Period.parse(p.toString().replace(/ /g, '')).totalSeconds).toBe(s);
    }), { numRuns: 300 });
  });

  test('comparisons and sums', () => {
    expect(Period.minutes(5).isShorterThan(Period.minutes(6))).toBe(true);
    expect(Period.hours(2).isLongerThan(Period.minutes(119))).toBe(true);
    expect(Period.hours(1).plus(Period.minutes(30)).toMinutes()).toBe(90);
  });
});
