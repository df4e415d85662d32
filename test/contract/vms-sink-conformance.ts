/**
 * The conformance suite every output plugin must pass (the BullMQ adapter-conformance idea): manifest, documented
 * configuration, no I/O at construction, a delivery the VMS stand-in accepts, a retryable SinkError when the VMS
 * is unreachable, an active check when the plugin claims one, and no credential in its logs.
 * A plugin's test calls `describeConformance` with its plugin and a stand-in of its VMS.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { basename, dirname } from 'node:path';
import { describe, it, type TestContext as NodeTestContext } from 'node:test';
import type { z } from 'zod';
import { PluginRegistry } from '../../src/publish/index.js';
import { isSinkError, SDK_VERSION, SINK_CAPABILITIES, type VmsPlugin } from '../../src/sdk/index.js';
import { makeEvent } from '../support/events.js';
import { deadline, pluginTestContext } from './plugin-context.js';

export interface StandIn {
  /** The plugin's own configuration (url and fields) pointing at this stand-in. */
  config: Record<string, unknown>;
  /** Events the stand-in accepted as valid for its VMS. */
  accepted: () => number;
  /** Connections or requests it has seen: must stay 0 while nothing is delivered. */
  contacts: () => number;
  close: () => Promise<void>;
}

export interface ConformanceTarget {
  /** The plugin's folder, e.g. new URL('..', import.meta.url) from its test. */
  folder: URL;
  plugin: VmsPlugin;
  startStandIn(t: NodeTestContext): Promise<StandIn>;
  /** The configuration with its url moved to `port` on 127.0.0.1, where nothing listens. */
  unreachable(config: Record<string, unknown>, port: number): Record<string, unknown>;
  /** Values that are secrets in `config` (passwords, keys): they must never reach a log line. */
  secrets?: (config: Record<string, unknown>) => string[];
}

export function describeConformance(target: ConformanceTarget): void {
  const { plugin } = target;
  const folder = basename(dirname(`${target.folder.pathname}x`));

  describe(`VmsSink conformance: ${plugin.manifest.outputType}`, () => {
    it('has a manifest the host accepts: folder name = output type, current SDK major, known capabilities', async () => {
      assert.equal(plugin.manifest.outputType, folder.startsWith('_') ? plugin.manifest.outputType : folder);
      assert.equal(plugin.manifest.sdkVersion.split('.')[0], SDK_VERSION.split('.')[0]);
      for (const c of plugin.manifest.capabilities) assert.ok((SINK_CAPABILITIES as readonly string[]).includes(c), c);
      if (!folder.startsWith('_')) {
        const registry = PluginRegistry.discover([]);
        assert.ok(registry.has(folder), `plugins/${folder} is discovered`);
        assert.equal((await registry.get(folder))?.manifest.id, plugin.manifest.id);
      } else {
        assert.match(plugin.manifest.outputType, /^x-/, 'a third-party output type starts with x-');
      }
    });

    it('documents every configuration field with a description and a default (or "(required)")', () => {
      const shape = (plugin.configSchema as unknown as { shape?: Record<string, z.ZodType> }).shape;
      assert.ok(shape, 'configSchema is a zod object');
      assert.ok('url' in shape, 'the configuration has a url field');
      const problems: string[] = [];
      for (const [key, field] of Object.entries(shape)) {
        const description = field.description ?? '';
        if (!description) problems.push(`${key}: no description`);
        const optional = field.safeParse(undefined).success;
        if (!optional && !description.includes('(required)')) problems.push(`${key}: no default; add one or mark it "(required)"`);
      }
      assert.deepEqual(problems, []);
    });

    it('refuses unknown fields and a missing url, naming the field', async (t) => {
      const standIn = await target.startStandIn(t);
      try {
        const typo = plugin.configSchema.safeParse({ ...standIn.config, notAField: 1 });
        assert.equal(typo.success, false);
        assert.ok(typo.error?.issues.some((i) => i.code === 'unrecognized_keys'), JSON.stringify(typo.error?.issues));
        const { url: _url, ...noUrl } = standIn.config;
        const missing = plugin.configSchema.safeParse(noUrl);
        assert.equal(missing.success, false);
        assert.ok(missing.error?.issues.some((i) => i.path[0] === 'url'));
      } finally {
        await standIn.close();
      }
    });

    it('does no I/O when the sink is created, delivers an event the VMS accepts, and stops', async (t) => {
      const standIn = await target.startStandIn(t);
      const { context, logText, close } = pluginTestContext({ type: plugin.manifest.outputType });
      try {
        const sink = plugin.createSink(plugin.configSchema.parse(standIn.config), context);
        await new Promise((r) => setTimeout(r, 100));
        assert.equal(standIn.contacts(), 0, 'createSink must not connect: do it in start()');
        await sink.start?.();
        const receipt = await sink.deliver(makeEvent(), { attempt: 1, idempotencyKey: 'k', signal: deadline() });
        assert.ok(receipt === undefined || typeof receipt === 'object');
        assert.equal(standIn.accepted(), 1, 'the stand-in accepted exactly one event');
        await sink.stop?.();
        for (const secret of target.secrets?.(standIn.config) ?? []) assert.ok(!logText().includes(secret), 'a secret reached the logs');
      } finally {
        close();
        await standIn.close();
      }
    });

    it('fails with a retryable SinkError when the VMS is unreachable', async (t) => {
      const standIn = await target.startStandIn(t);
      await standIn.close();
      const port = await closedPort();
      const { context, close } = pluginTestContext({ type: plugin.manifest.outputType });
      const sink = plugin.createSink(plugin.configSchema.parse(target.unreachable(standIn.config, port)), context);
      try {
        const error = await (async () => {
          try {
            await sink.start?.();
            await sink.deliver(makeEvent(), { attempt: 1, idempotencyKey: 'k', signal: deadline() });
          } catch (e) {
            return e;
          }
          return undefined;
        })();
        assert.ok(isSinkError(error), `a SinkError, got ${String(error)}`);
        assert.equal(error.disposition, 'retry', error.message);
        assert.match(error.message, new RegExp(`${port}|127\\.0\\.0\\.1`), 'the message names the VMS address');
      } finally {
        await sink.stop?.();
        close();
      }
    });

    if (plugin.manifest.capabilities.includes('active-check')) {
      it('checks reachability without raising an event (active check)', async (t) => {
        const standIn = await target.startStandIn(t);
        const { context, close } = pluginTestContext({ type: plugin.manifest.outputType });
        const sink = plugin.createSink(plugin.configSchema.parse(standIn.config), context);
        try {
          assert.equal(typeof sink.check, 'function', 'active-check capability needs check()');
          const detail = await sink.check!(deadline());
          assert.equal(typeof detail, 'string');
          assert.equal(standIn.accepted(), 0, 'a check raises no event');
        } finally {
          await sink.stop?.();
          close();
          await standIn.close();
        }
      });
    }
  });
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
