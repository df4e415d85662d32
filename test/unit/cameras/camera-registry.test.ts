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

describe('following the registry (how the pipeline starts and stops analysis per camera)', () => {
  it('starts cameras online already and later ones, restarts on a new stream, stops offline ones, never overlapping', async () => {
    const { followCameras } = await import('../../../src/cameras/index.js');
    const { captureLogs } = await import('../../support/log-capture.js');
    const registry = new CameraRegistry();
    const calls: string[] = [];
    const active = new Map<string, number>();
    let overlapped = false;
    const enter = (id: string) => {
      active.set(id, (active.get(id) ?? 0) + 1);
      overlapped ||= active.get(id)! > 1;
    };
    const leave = (id: string) => active.set(id, active.get(id)! - 1);
    let failOnce = true;
    const consumer = {
      async start(c: CameraEntry) {
        enter(c.id);
        await new Promise((r) => setTimeout(r, 5));
        leave(c.id);
        if (c.id === 'bad' && failOnce) {
          failOnce = false;
          throw new Error('ffmpeg missing');
        }
        calls.push(`start ${c.id} ${c.stream?.url}`);
      },
      async stop(id: string) {
        enter(id);
        await new Promise((r) => setTimeout(r, 5));
        leave(id);
        calls.push(`stop ${id}`);
      },
    };
    registry.set({ ...cam('online', 'rtsp://a/1') });
    const logs = captureLogs('info');
    const follower = followCameras(registry, consumer, logs.logger);
    registry.set(cam('online', 'rtsp://a/2'));
    registry.set(cam('offline'));
    registry.set(cam('online', 'rtsp://a/3'));
    registry.set({ ...cam('online', 'rtsp://b/1'), id: 'bad' });
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(calls.filter((c) => c.includes('c1')), ['start c1 rtsp://a/1', 'stop c1', 'start c1 rtsp://a/2', 'stop c1', 'start c1 rtsp://a/3']);
    assert.equal(overlapped, false, 'calls for one camera are serialised');
    assert.deepEqual(follower.running(), ['c1']);
    assert.match(logs.text(), /starting or stopping the analysis of a camera failed.*ffmpeg missing|ffmpeg missing.*starting or stopping/);
    registry.set({ ...cam('offline'), id: 'bad' });
    registry.set({ ...cam('online', 'rtsp://b/2'), id: 'bad' });
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(follower.running(), ['bad', 'c1'], 'a camera that failed to start is tried again at its next transition');
    await follower.close();
    registry.set(cam('offline'));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(calls.at(-1), 'start bad rtsp://b/2', 'nothing after close');
  });
});
