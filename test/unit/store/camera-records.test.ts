import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SecretKeyError } from '../../../src/errors/index.js';
import { SecretBox, SqliteStore, type CameraRecord } from '../../../src/store/index.js';
import { tempDir } from '../../support/temp.js';

const record = (id: string, password?: string): CameraRecord => ({
  cameraId: id,
  endpoint: `urn:uuid:${id}`,
  origin: 'discovery',
  xaddr: 'http://10.0.0.9/onvif/device_service',
  name: 'Lobby',
  scopes: ['onvif://www.onvif.org/name/Lobby'],
  state: 'online',
  stateSince: '2026-01-01T00:00:00.000Z',
  username: 'onvif',
  password,
  firstSeen: '2026-01-01T00:00:00.000Z',
  lastSeen: '2026-01-01T00:00:00.000Z',
});

describe('secret box (AES-256-GCM) for camera passwords', () => {
  it('round-trips, binds the value to its owner, and tells a wrong key from damage', () => {
    const box = SecretBox.fromKey(randomBytes(32).toString('hex'))!;
    const stored = box.encrypt('pässwörd 🔑', 'cam-1');
    assert.match(stored, /^v1:[0-9a-f]{16}:[A-Za-z0-9+/=]+$/);
    assert.notEqual(stored, box.encrypt('pässwörd 🔑', 'cam-1'), 'a fresh IV every time');
    assert.equal(box.decrypt(stored, 'cam-1'), 'pässwörd 🔑');
    assert.throws(() => box.decrypt(stored, 'cam-2'), (e: SecretKeyError) => e.code === 'SECRET_KEY_MISMATCH' && /does not authenticate/.test(e.message));
    const other = SecretBox.fromKey(randomBytes(32).toString('base64'))!;
    assert.throws(() => other.decrypt(stored, 'cam-1'), new RegExp(`encrypted with key ${box.keyId}, the current key is ${other.keyId}`));
    const tampered = stored.slice(0, -6) + (stored.endsWith('A') ? 'B' : 'A') + stored.slice(-5);
    assert.throws(() => box.decrypt(tampered, 'cam-1'), SecretKeyError);
  });

  it('accepts 32 bytes as hex or base64, nothing else', () => {
    assert.equal(SecretBox.fromKey(undefined), undefined);
    assert.equal(SecretBox.fromKey('  '), undefined);
    assert.ok(SecretBox.fromKey(randomBytes(32).toString('base64url')));
    for (const bad of ['secret', randomBytes(16).toString('hex'), '0'.repeat(64), randomBytes(31).toString('base64')]) {
      assert.throws(() => SecretBox.fromKey(bad), (e: SecretKeyError) => e.code === 'SECRET_KEY_INVALID' && /openssl rand -hex 32/.test(e.hint ?? ''), bad);
    }
  });
});

describe('camera records', () => {
  it('store passwords encrypted, never in clear; without a key store none and keep what is there', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 's.db');
    const key = randomBytes(32).toString('hex');
    let store = SqliteStore.open(path, { secrets: SecretBox.fromKey(key) });
    store.cameras.save(record('lobby', 'Very-Secret-1'));
    assert.equal(store.cameras.get('lobby')?.password, 'Very-Secret-1');
    assert.equal(store.cameras.get('lobby')?.passwordStatus, 'readable');
    store.close();
    const bytes = Buffer.concat([await readFile(path), await readFile(`${path}-wal`).catch(() => Buffer.alloc(0))]);
    assert.ok(!bytes.includes('Very-Secret-1'));

    store = SqliteStore.open(path);
    assert.equal(store.cameras.encrypting, false);
    assert.equal(store.cameras.get('lobby')?.passwordStatus, 'no-key');
    store.cameras.save({ ...record('lobby', 'Other-Secret-2'), state: 'offline' });
    assert.equal(store.cameras.get('lobby')?.state, 'offline');
    store.close();

    store = SqliteStore.open(path, { secrets: SecretBox.fromKey(key) });
    assert.equal(store.cameras.get('lobby')?.password, 'Very-Secret-1', 'the stored password survived a run without the key');
    store.close();
    store = SqliteStore.open(path, { secrets: SecretBox.fromKey(randomBytes(32).toString('hex')) });
    assert.equal(store.cameras.get('lobby')?.passwordStatus, 'wrong-key');
    assert.equal(store.cameras.get('lobby')?.password, undefined);
    store.close();
  });

  it('keep identity, scopes and state; state changes stamp the time only when they change', async (t) => {
    const store = SqliteStore.open(join(await tempDir(t), 's.db'));
    t.after(() => store.close());
    store.cameras.save({ ...record('gate'), manufacturer: 'Axis', width: 640, height: 360, fps: 12.5, clockOffsetMs: -3600000 });
    store.cameras.setState('gate', 'offline', 'said Bye', new Date('2026-02-02T00:00:00Z'));
    store.cameras.setState('gate', 'offline', 'said Bye', new Date('2026-03-03T00:00:00Z'));
    const gate = store.cameras.get('gate')!;
    assert.deepEqual([gate.state, gate.stateReason, gate.stateSince, gate.manufacturer, gate.width, gate.fps, gate.clockOffsetMs, gate.scopes], ['offline', 'said Bye', '2026-02-02T00:00:00.000Z', 'Axis', 640, 12.5, -3600000, ['onvif://www.onvif.org/name/Lobby']]);
    store.cameras.remove('gate');
    assert.equal(store.cameras.list().length, 0);
  });
});
