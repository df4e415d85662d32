export type { Analytics, AnalyticsFrame } from './analytics.js';
export { AnalyticsHub, startAnalytics, toTrackedObject, type AnalyticsOptions } from './hub.js';
