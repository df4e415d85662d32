import { z } from 'zod';
import { EVENT_TYPE_INFO } from '../sdk/index.js';
import { cameraSchema } from './camera.js';
import { discoverySchema } from './discovery.js';
import { inferenceSchema } from './inference.js';
import { ingestSchema } from './ingest.js';
import { logSchema } from './log.js';
import { modelsSchema } from './models.js';
import { deliverySchema } from './delivery.js';
import { deviceSchema } from './device.js';
import { outputName, outputsSchema } from './outputs.js';
import { queueSchema } from './queue.js';
import { rulesEngineSchema } from './rules-engine.js';
import { frVsaRuleProblem } from './rule.js';
import { serverSchema } from './server.js';
import { storeSchema } from './store.js';
import { trackingSchema } from './tracking.js';
import { metadataStreamSchema } from './metadata-stream.js';

/** The whole of vigie.yaml. Every section is optional; every field has a default or is marked required. */
export const configSchema = z
  .strictObject({
    server: serverSchema.prefault({}).describe(serverSchema.description ?? ''),
    discovery: discoverySchema.prefault({}).describe(discoverySchema.description ?? ''),
    cameras: z.array(cameraSchema).default([]).describe('cameras analysed (discovery may add more)'),
    ingest: ingestSchema.prefault({}).describe(ingestSchema.description ?? ''),
    queue: queueSchema.prefault({}).describe(queueSchema.description ?? ''),
    inference: inferenceSchema.prefault({}).describe(inferenceSchema.description ?? ''),
    models: modelsSchema.prefault({}).describe(modelsSchema.description ?? ''),
    tracking: trackingSchema.prefault({}).describe(trackingSchema.description ?? ''),
    rules: rulesEngineSchema.prefault({}).describe(rulesEngineSchema.description ?? ''),
    outputs: outputsSchema,
    delivery: deliverySchema.prefault({}).describe(deliverySchema.description ?? ''),
    store: storeSchema.prefault({}).describe(storeSchema.description ?? ''),
    device: deviceSchema.prefault({}).describe(deviceSchema.description ?? ''),
    log: logSchema.prefault({}).describe(logSchema.description ?? ''),
    metadataStream: metadataStreamSchema.prefault({}).describe(metadataStreamSchema.description ?? ''),
  })
  .superRefine((config, ctx) => {
    const ids = new Map<string, number>();
    config.cameras.forEach((camera, i) => {
      const first = ids.get(camera.id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['cameras', i, 'id'], message: `camera id "${camera.id}" is already used by cameras[${first}]: ids are unique` });
      } else ids.set(camera.id, i);
    });

    const enabled = new Set(config.rules.enabledEventTypes);
    if (config.rules.mode === 'fr-vsa') {
      config.rules.enabledEventTypes.forEach((type, i) => {
        if (EVENT_TYPE_INFO[type].frCode === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['rules', 'enabledEventTypes', i],
            message: `"${type}" is not one of the eight events of décret 2023-828 art. 3: remove it, or set rules.mode to standard`,
          });
        }
      });
    }
    config.cameras.forEach((camera, c) => {
      camera.rules.forEach((rule, r) => {
        if (!enabled.has(rule.type)) {
          ctx.addIssue({
            code: 'custom',
            path: ['cameras', c, 'rules', r, 'type'],
            message: `rule type "${rule.type}" is not in rules.enabledEventTypes: add it there (if the authorisation allows it) or remove the rule`,
          });
        } else if (config.rules.mode === 'fr-vsa' && EVENT_TYPE_INFO[rule.type].frCode === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['cameras', c, 'rules', r, 'type'],
            message: `rule type "${rule.type}" is not allowed in fr-vsa mode`,
          });
        } else if (config.rules.mode === 'fr-vsa' && frVsaRuleProblem(rule)) {
          ctx.addIssue({ code: 'custom', path: ['cameras', c, 'rules', r], message: frVsaRuleProblem(rule)! });
        }
      });
    });

    const outputNames = new Map<string, number>();
    config.outputs.forEach((output, o) => {
      const name = outputName(output, o);
      const first = outputNames.get(name);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['outputs', o, 'name'], message: `output name "${name}" is already used by outputs[${first}]: names are unique` });
      } else outputNames.set(name, o);
      output.cameras.forEach((id, k) => {
        if (!ids.has(id) && !config.discovery.auto) {
          ctx.addIssue({ code: 'custom', path: ['outputs', o, 'cameras', k], message: `no camera has id "${id}": use an id from the cameras section` });
        }
      });
    });
  });

export type VigieConfig = z.infer<typeof configSchema>;
export type VigieConfigInput = z.input<typeof configSchema>;
