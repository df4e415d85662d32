import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { openFramePipe } from '../../../src/ingest/frame-pipe.js';
import { FrameRing } from '../../../src/ingest/frame-ring.js';

describe('frame pipe (a FIFO as the child stdout, read into the frame buffers)', () => {
  it("delivers every byte a child writes to its stdout, in frames, and ends when the child exits", async () => {
    const frameBytes = 416 * 416 * 3;
    const frames = 5;
    const pipe = await openFramePipe();
    // A child writing 5 frames, frame i filled with byte i + 1, in odd-sized writes.
    const script = `const f=${frameBytes};for(let i=0;i<${frames};i++){const b=Buffer.alloc(f,i+1);for(let o=0;o<f;o+=70001)require('fs').writeSync(1,b,o,Math.min(70001,f-o));}`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', pipe.writeFd, 'inherit'] });
    pipe.spawned();
    const ring = new FrameRing(frameBytes, 2);
    const seen: number[] = [];
    let bytes = 0;
    pipe.read(
      () => ring.target(),
      (n) => {
        bytes += n;
        ring.advance(n, (frame) => {
          assert.ok(frame.every((v) => v === frame[0]), 'a frame holds only its own bytes');
          seen.push(frame[0]!);
        });
      },
    );
    const exitCode = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.equal(exitCode, 0);
    await pipe.drained(5000);
    pipe.close();
    assert.equal(bytes, frames * frameBytes, 'every byte read');
    assert.deepEqual(seen, [1, 2, 3, 4, 5], 'every frame, in order');
  });

  it('close() before any reader or child leaves nothing open and is idempotent', async () => {
    const pipe = await openFramePipe();
    pipe.close();
    pipe.close();
    await pipe.drained(10);
  });
});
