import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CameraRegistry, discoveredCameraId, type CameraEntry } from '../../../src/cameras/index.js';

const cam = (state: CameraEntry['state'], url?: string): CameraEntry => ({
  id: 'c1',
  name: 'C1',
  origin: 'discovery',
  kind: 'onvif',
  state,
  since: '2026-01-01T00:00:00Z',
  ...(url ? { stream: { uri: url, url } } : {}),
});

describe('camera registry', () => {
  it('tells online and offline transitions, and stream changes while online', () => {
    const errors: unknown[] = [];
    const registry = new CameraRegistry((e) => errors.push(e));
    const seen: string[] = [];
    registry.on('online', (c) => seen.push(`online ${c.stream?.url}`));
    registry.on('offline', (c) => seen.push(`offline ${c.state}`));
    registry.on('changed', () => {
      throw new Error('a broken listener');
    });
    registry.set(cam('pending'));
    registry.set(cam('online', 'rtsp://a/1'));
    registry.set(cam('online', 'rtsp://a/1'));
    registry.set(cam('online', 'rtsp://a/2'));
    registry.set(cam('offline'));
    registry.set(cam('unauthorized'));
    registry.set(cam('online', 'rtsp://a/2'));
    registry.delete('c1');
    assert.deepEqual(seen, ['online rtsp://a/1', 'online rtsp://a/2', 'offline offline', 'online rtsp://a/2', 'offline offline']);
    assert.equal(errors.length, 7, 'a throwing listener is reported, the others still run');
    assert.deepEqual(registry.counts(), { pending: 0, online: 0, offline: 0, unauthorized: 0, failed: 0 });
  });

  it('derives stable, valid ids for discovered cameras', () => {
    const id = discoveredCameraId('Caméra Entrée #2', 'urn:uuid:1', new Set());
    assert.match(id, /^camera-entree-2-[0-9a-f]{6}$/);
    assert.equal(discoveredCameraId('Caméra Entrée #2', 'urn:uuid:1', new Set()), id);
    assert.notEqual(discoveredCameraId('Caméra Entrée #2', 'urn:uuid:1', new Set([id])), id);
    assert.match(discoveredCameraId(undefined, 'urn:uuid:2', new Set()), /^camera-[0-9a-f]{6}$/);
    assert.match(discoveredCameraId('x'.repeat(200), 'urn:uuid:3', new Set()), /^[a-z0-9][a-z0-9_-]{0,62}$/);
  });
});
