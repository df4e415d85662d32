import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkConfigText, exampleConfig } from '../../../src/config/index.js';

const BROKEN = `
server:
  prot: 8080
cameras:
  - id: hall
    rtsp: rtsp://10.0.0.1/stream
  - id: Platform 2
    rtsp: http://10.0.0.2/stream
    rules:
      - type: intrusion
        name: tracks
        zone: [[0.1, 0.1], [0.9, 0.1]]
      - type: line_crossing
        name: gate
        line: [[0.1, 0.5], [640, 0.5]]
      - type: teleport
        name: magic
  - id: hall
    rules: []
outputs:
  - type: fax
    url: tel:123
  - type: webhook
`;

describe('vigie config check', () => {
  it('accepts the generated example', () => {
    const { problems, config } = checkConfigText(exampleConfig());
    assert.deepEqual(problems, []);
    assert.equal(config?.cameras.length, 2);
  });

  it('names every problem of a broken file by its path, with the fix', () => {
    const { problems, config } = checkConfigText(BROKEN);
    assert.equal(config, undefined);
    const byPath = new Map(problems.map((p) => [p.path, p.message]));
    assert.match(byPath.get('server.prot') ?? '', /unknown field: did you mean "port"/);
    assert.match(byPath.get('cameras[1].id') ?? '', /lowercase letters, digits/);
    assert.match(byPath.get('cameras[1].rtsp') ?? '', /starts with rtsp:\/\//);
    assert.match(byPath.get('cameras[1].rules[0].zone') ?? '', /a polygon needs at least 3 points/);
    assert.match(byPath.get('cameras[1].rules[1].line[1][0]') ?? '', /normalised.*divide pixels by the frame size/);
    assert.match(byPath.get('cameras[1].rules[2].type') ?? '', /use one of intrusion, line_crossing/);
    assert.match(byPath.get('cameras[2]') ?? '', /exactly one source/);
    assert.match(byPath.get('outputs[0].type') ?? '', /unknown output type: use one of milestone/);
    assert.match(byPath.get('outputs[1].url') ?? '', /required/);
  });

  it('reports duplicate camera ids and rule names at the second occurrence', () => {
    const { problems } = checkConfigText(`
cameras:
  - id: a
    rtsp: rtsp://h/1
    rules:
      - { type: loitering, name: z, zone: [[0,0],[1,0],[1,1]] }
      - { type: loitering, name: z, zone: [[0,0],[1,0],[1,1]] }
  - id: a
    rtsp: rtsp://h/2
`);
    const paths = problems.map((p) => p.path);
    assert.ok(paths.includes('cameras[0].rules[1].name'), paths.join());
    assert.ok(paths.includes('cameras[1].id'), paths.join());
  });

  it('refuses self-crossing zones and explains the vertex order', () => {
    const { problems } = checkConfigText(`
cameras:
  - id: a
    rtsp: rtsp://h/1
    rules:
      - { type: intrusion, name: bow-tie, zone: [[0,0],[1,1],[1,0],[0,1]] }
`);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.path, 'cameras[0].rules[0].zone');
    assert.match(problems[0]!.message, /cross: list the points in order/);
  });

  it('in fr-vsa mode refuses event types outside the eight of the decree', () => {
    const { problems } = checkConfigText(`
rules:
  mode: fr-vsa
  enabledEventTypes: [intrusion, loitering]
cameras:
  - id: a
    rtsp: rtsp://h/1
    rules:
      - { type: loitering, name: l, zone: [[0,0],[1,0],[1,1]] }
      - { type: crowd_density, name: d, zone: [[0,0],[1,0],[1,1]], maxCount: 10 }
`);
    const byPath = new Map(problems.map((p) => [p.path, p.message]));
    assert.match(byPath.get('rules.enabledEventTypes[1]') ?? '', /not one of the eight events/);
    assert.match(byPath.get('cameras[0].rules[1].type') ?? '', /not in rules.enabledEventTypes/);
  });

  it('reports YAML syntax errors with their line', () => {
    const { problems } = checkConfigText('cameras:\n  - id: a\n   rtsp: [unclosed\n');
    assert.ok(problems.length >= 1);
    assert.match(problems[0]!.path, /^line \d+, column \d+$/);
    assert.match(problems[0]!.message, /not valid YAML/);
  });

  it('applies environment overrides before validating', () => {
    const ok = checkConfigText('', { REDIS_URL: 'redis://127.0.0.1:6379', VIGIE_ASSET_DIR: '/srv/assets', LOG_LEVEL: 'debug' });
    assert.equal(ok.config?.queue.redisUrl, 'redis://127.0.0.1:6379');
    assert.equal(ok.config?.models.assetDir, '/srv/assets');
    assert.equal(ok.config?.log.level, 'debug');
    const bad = checkConfigText('', { LOG_LEVEL: 'loud' });
    assert.equal(bad.problems[0]?.path, 'log.level');
  });

  it('runs on defaults alone', () => {
    const { config } = checkConfigText('');
    assert.equal(config?.ingest.sampleFps, 5);
    assert.equal(config?.queue.redisUrl, '');
    assert.equal(config?.server.port, 8080);
  });
});
