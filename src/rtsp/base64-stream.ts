/**
 * Incremental base64 decoder for the body of an RTSP-over-HTTP POST: the client may split its base64 text at any
 * byte, and each RTSP request may be encoded (and padded) on its own. Whitespace is ignored; any other character
 * outside the base64 alphabet makes `push` return undefined (the tunnel is refused). At most three characters are
 * held between calls.
 */
export class Base64StreamDecoder {
  private carry = '';

  /** Decodes what `chunk` completes; undefined when the text is not base64. */
  push(chunk: Buffer): Buffer | undefined {
    const text = this.carry + chunk.toString('latin1').replace(/[\s]+/g, '');
    if (!/^[A-Za-z0-9+/=]*$/.test(text)) return undefined;
    const usable = text.length - (text.length % 4);
    this.carry = text.slice(usable);
    const parts: Buffer[] = [];
    let start = 0;
    while (start < usable) {
      // Padding closes one encoded unit: decode up to the end of its quantum, then go on with the next unit.
      const pad = text.indexOf('=', start);
      let end = pad < 0 || pad >= usable ? usable : Math.floor(pad / 4) * 4 + 4;
      if (end > usable) end = usable;
      const quantum = text.slice(start, end);
      if (/=[^=]/.test(quantum)) return undefined; // padding in the middle of a quantum
      parts.push(Buffer.from(quantum, 'base64'));
      start = end;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** Characters waiting for the rest of their quantum. */
  get pending(): number {
    return this.carry.length;
  }
}
