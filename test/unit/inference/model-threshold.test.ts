import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveModel } from '../../../src/inference/index.js';
import { SHARED_ASSETS } from '../../support/paths.js';

const models = { assetDir: SHARED_ASSETS, manifestDir: '' };

describe("the detector's score threshold", () => {
  it("is the manifest's, lowered to the tracker's lowScore when given, and the configured one when set", async () => {
    const manifest = (await resolveModel({ model: 'yolox-nano' }, models)).spec.scoreThreshold;
    assert.equal(manifest, 0.3, 'the YOLOX-Nano manifest threshold');
    assert.equal((await resolveModel({ model: 'yolox-nano' }, models, { defaultScoreAtMost: 0.1 })).spec.scoreThreshold, 0.1);
    assert.equal((await resolveModel({ model: 'yolox-nano' }, models, { defaultScoreAtMost: 0.6 })).spec.scoreThreshold, 0.3, 'never raised above the manifest');
    assert.equal((await resolveModel({ model: 'yolox-nano', scoreThreshold: 0.25 }, models, { defaultScoreAtMost: 0.1 })).spec.scoreThreshold, 0.25, 'a configured threshold wins');
  });
});
