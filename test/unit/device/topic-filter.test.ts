import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVENT_TOPICS } from '../../../src/device/index.js';
import { SoapFaultError } from '../../../src/errors/index.js';
import { parseXml } from '../../../src/soap/index.js';
import { parseTopicExpression, topicMatches } from '../../../src/device/topic-filter.js';
import { parseDuration, parseTerminationTime } from '../../../src/device/durations.js';

const expression = (text: string, prefix = 'tns1') =>
  parseTopicExpression(parseXml(`<wsnt:TopicExpression xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:${prefix}="http://www.onvif.org/ver10/topics" Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">${text}</wsnt:TopicExpression>`));
const topic = (type: string) => EVENT_TOPICS.find((t) => t.type === type)!.topic;

describe('event topic filters and times', () => {
  it('selects topics by ConcreteSet expressions, resolving prefixes by namespace', () => {
    assert.ok(topicMatches(expression('tns1:RuleEngine//.'), topic('intrusion')));
    assert.ok(topicMatches(expression('x:RuleEngine/FieldDetector/ObjectsInside', 'x'), topic('intrusion')), 'any prefix bound to the topic namespace');
    assert.ok(!topicMatches(expression('tns1:RuleEngine/FieldDetector/ObjectsInside'), topic('line_crossing')));
    assert.ok(topicMatches(expression('tns1:RuleEngine/FieldDetector//.|tns1:RuleEngine/LineDetector//.'), topic('line_crossing')));
    assert.ok(!topicMatches(expression('tns1:RuleEngine//.'), topic('weapon')), "Vigie's own topics live in their own namespace");
    assert.ok(topicMatches(undefined, topic('weapon')), 'no filter selects everything');
    assert.throws(() => expression('RuleEngine//.'), SoapFaultError, 'a topic without a namespace prefix is refused');
  });

  it('reads durations and termination times as ONVIF clients write them', () => {
    assert.equal(parseDuration('PT60S'), 60_000);
    assert.equal(parseDuration('PT1M30.5S'), 90_500);
    assert.equal(parseDuration('P1DT1H'), 90_000_000);
    assert.equal(parseDuration('60'), undefined);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseTerminationTime('PT10S', now, 't'), now + 10_000);
    assert.equal(parseTerminationTime('2026-01-01T00:01:00Z', now, 't'), now + 60_000);
    assert.throws(() => parseTerminationTime('2025-01-01T00:00:00Z', now, 't'), /already past/);
    assert.throws(() => parseTerminationTime('soon', now, 't'), /neither an xs:duration/);
  });
});
