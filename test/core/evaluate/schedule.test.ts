import { scheduleIntervalSeconds } from '../../../lib/core/evaluate/schedule';

const H = 3600;
const D = 86400;

describe('scheduleIntervalSeconds', () => {
  test.each([
    ['cron(0 5 * * ? *)', D],
    ['cron(0 * * * ? *)', H],
    ['cron(0 */6 * * ? *)', 6 * H],
    ['cron(0 5,17 * * ? *)', 12 * H],
    ['cron(0 1,2,20 * * ? *)', 18 * H],
    ['cron(0 5 ? * SUN *)', 7 * D],
    ['cron(0 5 ? * MON,THU *)', 4 * D],
    ['cron(0 5 1 * ? *)', 31 * D],
    ['cron(0 5 1 1 ? *)', 12 * 31 * D],
    ['rate(12 hours)', 12 * H],
    ['rate(1 day)', D],
    ['rate(30 minutes)', 30 * 60],
  ])('%s runs at least every %i seconds', (expr, seconds) => {
    expect(scheduleIntervalSeconds(expr)).toBe(seconds);
  });

  test.each(['', 'daily', 'cron(0 5 * *)', 'cron(x 5 * * ? *)', 'rate(0 hours)', 'cron(0 25 * * ? *)'])('%p cannot be read', expr => {
    expect(scheduleIntervalSeconds(expr)).toBeUndefined();
  });
});
