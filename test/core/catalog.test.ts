import * as fs from 'fs';
import * as path from 'path';
import { Fact, Facts, Mechanism } from '../../lib/core/catalog';
import { Period } from '../../lib/core/period';

const CATALOG = fs.readFileSync(path.join(__dirname, '..', '..', 'lib', 'core', 'catalog.ts'), 'utf8');

/** A "(check)" mark: a figure read only from a secondary summary, not verified against its source. */
const CHECK_MARK = /\(check\)|[;,]\s*check\)/i;

/** The source text of every `public static readonly NAME` of `className`: its doc comment and its initializer. */
function memberTexts(className: string): Map<string, string> {
  const start = CATALOG.indexOf(`export class ${className} {`);
  const next = CATALOG.indexOf('\nexport class ', start + 1);
  const body = CATALOG.slice(start, next < 0 ? undefined : next);
  const decl = /public static readonly (\w+)/g;
  const found: Array<{ name: string; at: number }> = [];
  let m: RegExpExecArray | null;
  while ((m = decl.exec(body)) !== null) found.push({ name: m[1], at: m.index });
  const out = new Map<string, string>();
  found.forEach((f, i) => {
    // The doc comment sits between the previous member's end and this declaration.
    const before = body.slice(i === 0 ? 0 : found[i - 1].at, f.at);
    const comment = before.slice(before.lastIndexOf('/**'));
    const end = i + 1 < found.length ? found[i + 1].at : body.length;
    const own = body.slice(f.at, end);
    const initializer = own.slice(0, own.lastIndexOf('/**') > 0 ? own.lastIndexOf('/**') : own.length);
    out.set(f.name, comment + initializer);
  });
  return out;
}

function isFact(v: any): v is Fact {
  return v !== null && typeof v === 'object' && typeof v.statement === 'string' && typeof v.kind === 'string';
}

const FACT_TEXTS = memberTexts('Facts');
const MECHANISM_TEXTS = memberTexts('Mechanism');

describe('the catalog: every figure has a source and no "(check)" mark', () => {
  test('the parser sees every static member of Facts and Mechanism', () => {
    const facts = Object.keys(Facts).filter(k => k !== 'prototype');
    const mechanisms = Object.keys(Mechanism).filter(k => (Mechanism as any)[k] instanceof Mechanism);
    expect([...FACT_TEXTS.keys()].sort()).toEqual(facts.sort());
    expect([...MECHANISM_TEXTS.keys()].sort()).toEqual(mechanisms.sort());
  });

  test.each([...FACT_TEXTS.keys()])('Facts.%s has a source', name => {
    const v = (Facts as any)[name];
    const text = FACT_TEXTS.get(name)!;
    if (isFact(v)) {
      expect(v.source).toMatch(/^https:\/\//);
      expect(v.statement.trim()).not.toBe('');
      // A figure needs a value, unless the source publishes none.
      if (v.kind !== 'none' && v.kind !== 'documented') expect(v.value).toBeInstanceOf(Period);
    } else if (typeof v === 'string' && name.endsWith('_SOURCE')) {
      // Source constants are URLs.
      expect(v).toMatch(/^https:\/\//);
    } else {
      // A bare limit (a number, a Period, a list, a quoted sentence or a documented name) names its source in its comment, or shares the
      // service prefix of a documented *_SOURCE constant or Fact.
      const prefix = name.split('_')[0];
      const documented = [...FACT_TEXTS.keys()].some(k => k !== name && k.startsWith(`${prefix}_`)
        && (k.endsWith('_SOURCE') || isFact((Facts as any)[k])));
      expect({ name, sourced: documented || /https:\/\//.test(text) }).toEqual({ name, sourced: true });
    }
  });

  test.each([...MECHANISM_TEXTS.keys()])('Mechanism.%s cites sources for its RPO and RTO', name => {
    const m: Mechanism = (Mechanism as any)[name];
    expect(m.id).toMatch(/^(aws|gcp|azure)\./);
    expect(m.title.trim()).not.toBe('');
    for (const f of [m.rpo, m.rto]) {
      expect(f.source).toMatch(/^https:\/\//);
      expect(f.statement.trim()).not.toBe('');
    }
  });

  test('no entry carries a "(check)" mark in its statement, title, limits or comment', () => {
    const marked: string[] = [];
    for (const [name, text] of FACT_TEXTS) {
      const v = (Facts as any)[name];
      const values = isFact(v) ? [v.statement] : [];
      if (CHECK_MARK.test(text) || values.some(x => CHECK_MARK.test(x))) marked.push(name);
    }
    for (const [name, text] of MECHANISM_TEXTS) {
      const m: Mechanism = (Mechanism as any)[name];
      const values = [m.title, m.rpo.statement, m.rto.statement, ...m.limits];
      if (CHECK_MARK.test(text) || values.some(x => CHECK_MARK.test(x))) marked.push(name);
    }
    expect(marked).toEqual([]);
  });

  test('no core source file says "(check)"', () => {
    const dir = path.join(__dirname, '..', '..', 'lib', 'core');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name)) files.push(p);
      }
    };
    walk(dir);
    const hits: string[] = [];
    for (const f of files) {
      const lines = fs.readFileSync(f, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!CHECK_MARK.test(line)) return;
        hits.push(`${path.relative(dir, f)}:${i + 1}`);
      });
    }
    expect(hits).toEqual([]);
  });
});

describe('the figures the review corrected, with the source\'s own words', () => {
  test('RDS cross-region automated backup replication: 5-30 minutes, so a 30-minute typical floor', () => {
    expect(Facts.RDS_BACKUP_REPLICATION_RPO).toMatchObject({ kind: 'typical' });
    expect(Facts.RDS_BACKUP_REPLICATION_RPO.value!.toMinutes()).toBe(30);
    expect(Facts.RDS_BACKUP_REPLICATION_RPO.statement).toContain('ranging 5–30 minutes');
    expect(Facts.RDS_BACKUP_REPLICATION_RPO.source).toContain('prescriptive-guidance');
  });

  test('Aurora global database failover: "in the order of minutes", a lower bound', () => {
    expect(Facts.AURORA_GLOBAL_DB_FAILOVER.statement).toContain('RTO can be in the order of minutes');
    expect(Facts.AURORA_GLOBAL_DB_FAILOVER.statement).not.toContain('under a minute');
    expect(Facts.AURORA_GLOBAL_DB_FAILOVER.isLowerBound).toBe(true);
  });

  test('DynamoDB PITR is typical; Aurora clusters cite the Aurora page', () => {
    expect(Facts.DYNAMODB_PITR_RPO.kind).toBe('typical');
    expect(Facts.AURORA_PITR_RPO.source).toContain('/AuroraUserGuide/');
    expect(Facts.AURORA_PITR_RPO.statement).toContain('typically within 5 minutes of the current time');
    expect(Facts.RDS_PITR_RPO.source).toContain('/UserGuide/USER_PIT.html');
  });

  test('S3 RTC: a percentile of an SLA that does not apply beyond the request-rate and throughput guidelines', () => {
    expect(Facts.S3_RTC_RPO.statement).toContain('percent of those objects within 15 minutes');
    expect(Facts.S3_RTC_RPO.statement).toContain('percentile');
    expect(Facts.S3_RTC_RPO.statement).toContain('requests per second are exceeded');
    expect(Facts.S3_RTC_RPO.statement).toContain('1 gigabit per second (Gbps) quota');
  });

  test('the strategy bands are counted at their upper end', () => {
    expect(Facts.DR_PILOT_LIGHT_ACTIVATION.value!.toMinutes()).toBe(60);
    expect(Facts.DR_WARM_STANDBY_ACTIVATION.value!.toMinutes()).toBe(10);
    expect(Facts.DR_BACKUP_AND_RESTORE_ACTIVATION.value!.toHours()).toBe(24);
    expect(Facts.DR_PILOT_LIGHT_ACTIVATION.statement).toContain('"RPO / RTO: 10s of minutes"');
  });
});
