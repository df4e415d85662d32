import { z } from 'zod';

export const modelsSchema = z
  .strictObject({
    assetDir: z
      .string()
      .default('~/.cache/vigie')
      .describe('directory holding models/<file> and video/<file> (env VIGIE_ASSET_DIR); fill it with `vigie assets fetch`'),
    manifestDir: z.string().default('').describe('extra directory of model manifests (<id>.json) beside the built-in models/; empty = none'),
    mirror: z
      .string()
      .default('')
      .describe('base URL of an internal mirror that serves assets by file name; empty = the URLs in the manifests (env VIGIE_ASSET_MIRROR)'),
  })
  .describe('model and sample assets');
