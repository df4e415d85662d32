import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffSeconds, CircuitBreaker } from '../../../src/publish/index.js';

const retry = { initialSeconds: 1, maxSeconds: 300, multiplier: 2, jitter: 0.2 };

describe('backoff', () => {
  it('doubles from initialSeconds up to maxSeconds, shortened by at most the jitter', () => {
    assert.deepEqual([1, 2, 3, 4, 9, 10, 30].map((n) => backoffSeconds(n, retry, () => 0)), [1, 2, 4, 8, 256, 300, 300]);
    assert.equal(backoffSeconds(3, retry, () => 1), 4 * 0.8);
  });

  it('with the defaults, 20 attempts span about an hour of outage before a dead letter', () => {
    let total = 0;
    for (let n = 1; n < 20; n++) total += backoffSeconds(n, retry, () => 0);
    assert.ok(total > 3000 && total < 4000, `${total} s`);
  });
});

describe('circuit breaker', () => {
  it('opens after the threshold, lets one probe through when the pause ends, doubles the pause on a failed probe, closes on success', () => {
    const b = new CircuitBreaker({ failureThreshold: 3, openSeconds: 10, maxOpenSeconds: 25 });
    let now = 0;
    b.onFailure(now);
    b.onFailure(now);
    assert.equal(b.permit(now), 'go');
    b.onFailure(now);
    assert.equal(b.state, 'open');
    assert.equal(b.permit(now + 9_999), 'wait');
    now = 10_000;
    assert.equal(b.permit(now), 'probe');
    assert.equal(b.permit(now), 'wait', 'one probe at a time');
    assert.equal(b.nextPermitAt(now), Infinity);
    b.onFailure(now);
    assert.equal(b.reopensAt, now + 20_000);
    now += 20_000;
    assert.equal(b.permit(now), 'probe');
    b.onFailure(now);
    assert.equal(b.reopensAt, now + 25_000, 'capped');
    now += 25_000;
    assert.equal(b.permit(now), 'probe');
    b.onSuccess();
    assert.equal(b.state, 'closed');
    assert.equal(b.permit(now), 'go');
  });

  it('hold pauses for a fixed time whatever the count', () => {
    const b = new CircuitBreaker({ failureThreshold: 5, openSeconds: 1, maxOpenSeconds: 300 });
    b.hold(0, 30);
    assert.equal(b.state, 'open');
    assert.equal(b.reopensAt, 30_000);
  });
});
