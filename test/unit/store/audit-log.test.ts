import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { AuditChainError } from '../../../src/errors/index.js';
import { SqliteStore } from '../../../src/store/index.js';
import { tempDir } from '../../support/temp.js';

describe('audit log', () => {
  it('survives a restart and verifies its hash chain', async (t) => {
    const path = join(await tempDir(t), 'vigie.db');
    const store = SqliteStore.open(path);
    store.audit.append({ actor: 'system', action: 'service.started', object: 'vigie' });
    store.audit.append({ actor: 'alice', action: 'alert.confirmed', object: 'evt-1', details: { qualification: 'confirmed_true' } });
    store.close();

    const reopened = SqliteStore.open(path);
    t.after(() => reopened.close());
    const records = reopened.audit.list();
    assert.deepEqual(records.map((r) => r.action), ['service.started', 'alert.confirmed']);
    assert.deepEqual(records[1]!.details, { qualification: 'confirmed_true' });
    assert.equal(reopened.audit.verify(), 2);
  });

  it('detects a record modified behind its back, at that record', async (t) => {
    const path = join(await tempDir(t), 'vigie.db');
    const store = SqliteStore.open(path);
    for (let i = 0; i < 5; i++) store.audit.append({ actor: 'system', action: 'alert.raised', object: `evt-${i}` });
    store.close();

    const raw = new BetterSqlite3(path);
    raw.prepare("UPDATE audit_log SET object = 'evt-x' WHERE sequence = 3").run();
    raw.close();

    const tampered = SqliteStore.open(path);
    t.after(() => tampered.close());
    assert.throws(() => tampered.audit.verify(), (e: unknown) => e instanceof AuditChainError && e.sequence === 3 && e.code === 'AUDIT_CHAIN_BROKEN');
  });

  it('purges old records and keeps the rest of the chain verifiable', (t) => {
    const store = SqliteStore.open(':memory:');
    t.after(() => store.close());
    const old = new Date('2025-01-01T00:00:00Z');
    for (let i = 0; i < 3; i++) store.audit.append({ actor: 'system', action: 'alert.raised', object: `old-${i}`, at: old });
    store.audit.append({ actor: 'system', action: 'alert.raised', object: 'new' });
    assert.equal(store.audit.purge(new Date('2025-06-01T00:00:00Z')), 3);
    assert.deepEqual(store.audit.list().map((r) => r.object), ['new']);
    assert.equal(store.audit.verify(), 1);
    const next = store.audit.append({ actor: 'system', action: 'alert.raised', object: 'newer' });
    assert.equal(next.sequence, 5);
    assert.equal(store.audit.verify(), 2);
  });
});
