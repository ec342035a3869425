/**
 * Issue 13 "Done when": docs/gcp.md, docs/azure.md and catalog.ts agree. Every Google Cloud and
 * Azure mechanism's sources appear in its cloud's page, and no entry is left with "(check)".
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Mechanism } from '../../../lib/core/catalog';

const page = (cloud: string) => readFileSync(join(__dirname, '..', '..', '..', 'docs', `${cloud}.md`), 'utf8');
const mechanisms = Object.getOwnPropertyNames(Mechanism)
  .map(k => (Mechanism as any)[k])
  .filter(m => m instanceof Mechanism && (m.cloud === 'gcp' || m.cloud === 'azure')) as Mechanism[];

describe('GCP and Azure catalog entries and their docs', () => {
  test('there are entries for both clouds', () => {
    expect(mechanisms.filter(m => m.cloud === 'gcp').length).toBeGreaterThan(5);
    expect(mechanisms.filter(m => m.cloud === 'azure').length).toBeGreaterThan(5);
  });

  test.each(mechanisms.map(m => [m.id, m] as [string, Mechanism]))('%s: sources are in the page, no "(check)"', (_id, m) => {
    const doc = page(m.cloud);
    for (const f of [m.rpo, m.rto]) {
      expect(f.statement).not.toContain('(check)');
      expect(f.source).toMatch(/^https:\/\//);
      expect(doc).toContain(f.source.split('#')[0]);
    }
  });

  test('the figures whose kind issue 13 changed are stated the same way in catalog and docs', () => {
    const gcp = page('gcp');
    const azure = page('azure');
    expect(Mechanism.GCS_TURBO_REPLICATION.rpo.kind).toBe('typical');
    expect(gcp).toContain('15 min, **typical** (a design target)');
    expect(Mechanism.AZURE_GEO_ZONE_REDUNDANT.rto.statement).toContain('"The failover typically takes about an hour"');
    expect(azure).toContain('"The failover typically takes about an hour"');
    expect(Mechanism.AZURE_BACKUP_CROSS_REGION.rpo.value!.toHours()).toBe(36);
    expect(azure).toContain('expect up to 36 hours of data loss');
    expect(Mechanism.AZURE_SQL_FAILOVER_GROUP_MANUAL.rpo.kind).toBe('none');
    expect(azure).toContain('"Equal to or greater than 0 (Depends on data changes before the disruptive event that haven\'t been replicated)"');
    expect(Mechanism.COSMOS_CONTINUOUS_BACKUP.rpo.statement).toContain('backed up asynchronously within 100 seconds');
    expect(azure).toContain('backed up asynchronously within 100 seconds');
    expect(Mechanism.FIRESTORE_REPLICATION.title).not.toContain('synchronous');
    expect(gcp).toContain('"The window must be at least six hours long"');
  });
});
