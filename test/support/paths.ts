import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** ../shared beside the repository: test assets, schemas, references (read-only). */
export const SHARED_DIR = join(REPO_ROOT, '..', 'shared');
export const SHARED_ASSETS = join(SHARED_DIR, 'assets');
export const SAMPLE_CLIP = join(SHARED_ASSETS, 'video', 'vtest-h264.mp4');
export const YOLOX_MODEL = join(SHARED_ASSETS, 'models', 'yolox_nano.onnx');
