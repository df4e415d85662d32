import { z } from 'zod';
import { SINK_CAPABILITIES } from '../../sdk/index.js';

/** What the host checks in a plugin's manifest before using it. */
export const manifestSchema = z.looseObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'manifest.id: lower case letters, digits and dashes' }),
  outputType: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'manifest.outputType: lower case letters, digits and dashes' }),
  title: z.string().min(1),
  version: z.string().regex(/^\d+\.\d+\.\d+/, { error: 'manifest.version: a semantic version such as 1.0.0' }),
  sdkVersion: z.string().regex(/^\d+\.\d+\.\d+/, { error: 'manifest.sdkVersion: the SDK_VERSION the plugin was written for' }),
  description: z.string().min(1),
  capabilities: z.array(z.enum(SINK_CAPABILITIES)),
});
