import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { fetchAsset, loadManifests, verifyAsset, type AssetManifest } from '../../src/assets/index.js';
import { AssetChecksumError, AssetMissingError } from '../../src/errors/index.js';
import { runVigie } from '../support/cli.js';
import { SHARED_ASSETS, YOLOX_MODEL } from '../support/paths.js';
import { tempDir } from '../support/temp.js';

/** A local HTTP server standing in for the download site: serves the model, or a corrupted copy of it. */
async function assetServer(t: TestContext, mode: 'good' | 'corrupt' | 'truncated'): Promise<string> {
  const server: Server = createServer((req, res) => {
    if (!req.url?.endsWith('/yolox_nano.onnx')) {
      res.writeHead(404).end('not found');
      return;
    }
    if (mode === 'good') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      createReadStream(YOLOX_MODEL).pipe(res);
      return;
    }
    readFile(YOLOX_MODEL).then(
      (data) => {
        if (mode === 'corrupt') data[1000] = data[1000]! ^ 0xff;
        const body = mode === 'truncated' ? data.subarray(0, data.length - 100) : data;
        res.writeHead(200, { 'content-length': body.length });
        res.end(body);
      },
      (error: Error) => res.writeHead(500).end(error.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/assets`;
}

async function model(): Promise<AssetManifest> {
  const manifest = (await loadManifests()).find((m) => m.id === 'yolox-nano');
  assert.ok(manifest, 'models/yolox-nano.json exists');
  return manifest;
}

describe('assets', () => {
  it('downloads from a mirror, verifies the checksum and installs the file', async (t) => {
    const assetDir = await tempDir(t);
    const mirror = await assetServer(t, 'good');
    const progress = Object.assign(new (await import('node:stream')).PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
    let printed = '';
    (progress as unknown as NodeJS.ReadableStream).on('data', (d: Buffer) => (printed += d.toString()));
    assert.equal(await fetchAsset(await model(), { assetDir, mirror, progress }), 'downloaded');
    const verified = await verifyAsset(assetDir, await model());
    assert.equal(verified.path, join(assetDir, 'models', 'yolox_nano.onnx'));
    assert.match(printed, /100%/);
    assert.equal(await fetchAsset(await model(), { assetDir, mirror }), 'present', 'a second fetch does not download again');
  });

  for (const mode of ['corrupt', 'truncated'] as const) {
    it(`rejects a ${mode} download and leaves no file behind`, async (t) => {
      const assetDir = await tempDir(t);
      const mirror = await assetServer(t, mode);
      await assert.rejects(fetchAsset(await model(), { assetDir, mirror, progress: nullStream() }), (e: unknown) => {
        assert.ok(e instanceof AssetChecksumError, String(e));
        assert.match(e.message, /does not match its manifest.*nothing was written/);
        return true;
      });
      assert.deepEqual(await readdir(join(assetDir, 'models')), [], 'no partial or final file remains');
    });
  }

  it('copies from a local directory for air-gapped sites (vigie assets fetch --from)', async (t) => {
    const assetDir = await tempDir(t);
    const result = await runVigie(['assets', 'fetch', '--from', SHARED_ASSETS], { env: { VIGIE_ASSET_DIR: assetDir } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /yolox-nano: copied/);
    assert.match(result.stdout, /vtest: copied/);
    await access(join(assetDir, 'models', 'yolox_nano.onnx'));
    await access(join(assetDir, 'video', 'vtest-h264.mp4'));
    const again = await runVigie(['assets', 'list'], { env: { VIGIE_ASSET_DIR: assetDir } });
    assert.equal(again.code, 0, again.stdout + again.stderr);
  });

  it('refuses a local copy whose checksum does not match', async (t) => {
    const from = await tempDir(t);
    const assetDir = await tempDir(t);
    await mkdir(join(from, 'models'));
    await writeFile(join(from, 'models', 'yolox_nano.onnx'), 'not a model');
    const result = await runVigie(['assets', 'fetch', '--only', 'yolox-nano', '--from', from], { env: { VIGIE_ASSET_DIR: assetDir } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /ASSET_CHECKSUM_MISMATCH/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    await assert.rejects(access(join(assetDir, 'models', 'yolox_nano.onnx')));
  });

  it('a missing asset names the command that fixes it', async (t) => {
    const assetDir = await tempDir(t);
    await assert.rejects(verifyAsset(assetDir, await model()), (e: unknown) => {
      assert.ok(e instanceof AssetMissingError);
      assert.match(e.describe(), /vigie assets fetch/);
      assert.match(e.describe(), /VIGIE_ASSET_DIR/);
      return true;
    });
    const result = await runVigie(['demo', '--port', '0'], { env: { VIGIE_ASSET_DIR: assetDir, VIGIE_DB: join(assetDir, 'db.sqlite') } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /ASSET_MISSING.*\n\s+fix: run `vigie assets fetch`/);
  });

  it('the shared asset directory has the layout VIGIE_ASSET_DIR expects', async () => {
    for (const manifest of await loadManifests()) await verifyAsset(SHARED_ASSETS, manifest);
  });
});

function nullStream(): NodeJS.WriteStream {
  return { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
}
