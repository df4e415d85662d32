import { loadManifests } from '../assets/index.js';
import type { VigieConfig } from '../config/index.js';
import type { Logger } from '../logging/index.js';
import { DEFAULT_MODEL_INPUT, type ModelInput } from '../onvif/index.js';

/** The detection model's input size, from its manifest; the default model's 416x416 when it cannot be read. */
export async function modelInputSize(config: VigieConfig, logger: Logger): Promise<ModelInput> {
  try {
    const manifest = (await loadManifests(config.models.manifestDir)).find((m) => m.id === config.inference.model);
    if (manifest?.kind === 'model') return { width: manifest.input.width, height: manifest.input.height };
    logger.warn({ model: config.inference.model }, `no manifest for model "${config.inference.model}": ONVIF profiles are chosen for a ${DEFAULT_MODEL_INPUT.width}x${DEFAULT_MODEL_INPUT.height} input`);
  } catch (error) {
    logger.warn({ err: error }, 'model manifests unreadable: ONVIF profiles are chosen for a 416x416 input');
  }
  return DEFAULT_MODEL_INPUT;
}

/** The model input with its pixel layout (what ingest letterboxes frames to), from the manifest; 416x416 BGR otherwise. */
export async function modelInputFormat(config: VigieConfig, logger: Logger): Promise<ModelInput & { pixelFormat: 'bgr24' | 'rgb24' }> {
  const size = await modelInputSize(config, logger);
  let pixelFormat: 'bgr24' | 'rgb24' = 'bgr24';
  try {
    const manifest = (await loadManifests(config.models.manifestDir)).find((m) => m.id === config.inference.model);
    if (manifest?.kind === 'model' && manifest.input.channelOrder === 'RGB') pixelFormat = 'rgb24';
  } catch (error) {
    logger.debug({ err: error }, 'model manifests unreadable: frames are BGR');
  }
  return { ...size, pixelFormat };
}
