import { parseXml, type XmlElement } from '../../src/soap/index.js';

const TT = 'http://www.onvif.org/ver10/schema';
const WSNT = 'http://docs.oasis-open.org/wsn/b-2';

/** Whole `tt:MetadataStream` documents in a reader's output (ffmpeg `-f data` concatenates them; the GStreamer reader prints one a line). */
export function splitDocuments(text: string): string[] {
  const docs: string[] = [];
  const re = /(?:<\?xml[^>]*\?>)?<tt:MetadataStream[\s\S]*?<\/tt:MetadataStream>/g;
  for (const m of text.matchAll(re)) docs.push(m[0]);
  return docs;
}

export interface ReadObject {
  id: number;
  left: number;
  top: number;
  right: number;
  bottom: number;
  cx: number;
  cy: number;
  type: string | undefined;
  likelihood: number | undefined;
}

export interface ReadDocument {
  utcTime: string | undefined;
  objects: ReadObject[];
  events: Array<{ topic: string; operation: string | undefined; data: Record<string, string> }>;
}

/** What a VMS reads from one document: the frame's time, its objects' boxes and classes, and the events. */
export function readDocument(xml: string): ReadDocument {
  const root = parseXml(xml);
  if (!root.is(TT, 'MetadataStream')) throw new Error(`not a tt:MetadataStream: ${xml.slice(0, 80)}`);
  const frame = root.find([TT, 'VideoAnalytics'], [TT, 'Frame']);
  const objects = (frame?.childrenNamed(TT, 'Object') ?? []).map((o: XmlElement) => {
    const shape = o.find([TT, 'Appearance'], [TT, 'Shape']);
    const box = shape?.child(TT, 'BoundingBox');
    const cog = shape?.child(TT, 'CenterOfGravity');
    const type = o.find([TT, 'Appearance'], [TT, 'Class'], [TT, 'Type']);
    const n = (e: XmlElement | undefined, a: string) => Number(e?.attribute(a));
    return {
      id: Number(o.attribute('ObjectId')),
      left: n(box, 'left'),
      top: n(box, 'top'),
      right: n(box, 'right'),
      bottom: n(box, 'bottom'),
      cx: n(cog, 'x'),
      cy: n(cog, 'y'),
      type: type?.text,
      likelihood: type ? Number(type.attribute('Likelihood')) : undefined,
    };
  });
  const events = (root.child(TT, 'Event')?.childrenNamed(WSNT, 'NotificationMessage') ?? []).map((m) => {
    const message = m.find([WSNT, 'Message'], [TT, 'Message']);
    const data: Record<string, string> = {};
    for (const item of message?.child(TT, 'Data')?.childrenNamed(TT, 'SimpleItem') ?? []) data[item.attribute('Name') ?? ''] = item.attribute('Value') ?? '';
    return { topic: m.childText(WSNT, 'Topic') ?? '', operation: message?.attribute('PropertyOperation'), data };
  });
  return { utcTime: frame?.attribute('UtcTime'), objects, events };
}
