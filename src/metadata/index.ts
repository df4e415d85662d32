export { buildMetadataDocument, eventNotification, onvifClassType, topicSelected, type MetadataDocumentOptions } from './metadata-document.js';
export type { MetadataFrame, MetadataOptions, MetadataTopicPattern } from './metadata-frame.js';
export { toOnvifBox, fromOnvifBox, onvifX, onvifY, type OnvifBox } from './onvif-coordinates.js';
export { CameraStream, type CameraStreamOptions } from './camera-stream.js';
export {
  createMetadataStreamer,
  type MetadataStreamer,
  type MetadataStreamerOptions,
  type StreamCamera,
  type StreamStats,
} from './metadata-streamer.js';
