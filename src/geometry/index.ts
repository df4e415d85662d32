export { type Point, cross, distance, samePoint, EPSILON } from './point.js';
export { onSegment, segmentsIntersect, sideOfLine } from './segment.js';
export { type Polygon, area, signedArea, containsPoint, polygonProblem } from './polygon.js';
export { toOnvifPoint, fromOnvifPoint } from './onvif-point.js';
