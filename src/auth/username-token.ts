import { createHash, randomBytes } from 'node:crypto';
import { NS, WSSE_BASE64_BINARY, WSSE_PASSWORD_DIGEST, WSSE_PASSWORD_TEXT, soapNs, xmlNamespace, type XmlElement, type XmlElementNode } from '../soap/index.js';

const wsse = xmlNamespace('wsse', NS.wsse);
const wsu = xmlNamespace('wsu', NS.wsu);

/** `Base64(SHA1(nonce ‖ UTF8(created) ‖ UTF8(password)))` over the decoded nonce bytes (WS-Security UsernameToken Profile 1.0). */
export function passwordDigest(nonce: Buffer, created: string, password: string): string {
  return createHash('sha1').update(nonce).update(created, 'utf8').update(password, 'utf8').digest('base64');
}

export interface UsernameToken {
  username: string;
  /** Base64 PasswordDigest. */
  password: string;
  /** Base64 nonce. */
  nonce: string;
  /** xs:dateTime in UTC with milliseconds and `Z`. */
  created: string;
}

export interface CreateUsernameTokenOptions {
  username: string;
  password: string;
  /** Device clock minus local clock, in ms (from GetSystemDateAndTime), so `Created` reads in the device's time. @defaultValue 0 */
  clockOffsetMs?: number;
  /** Local clock in ms. @defaultValue Date.now */
  now?: () => number;
  /** The nonce bytes. @defaultValue 16 random bytes */
  nonce?: Buffer;
}

/** A fresh UsernameToken with PasswordDigest, its `Created` shifted by the device's clock offset. */
export function createUsernameToken(options: CreateUsernameTokenOptions): UsernameToken {
  const nonce = options.nonce ?? randomBytes(16);
  const created = new Date((options.now ?? Date.now)() + (options.clockOffsetMs ?? 0)).toISOString();
  return { username: options.username, password: passwordDigest(nonce, created, options.password), nonce: nonce.toString('base64'), created };
}

/** The `wsse:Security` header block carrying a token (mustUnderstand="1", as ONVIF devices expect). */
export function usernameTokenHeader(token: UsernameToken): XmlElementNode {
  return wsse('Security', [
    soapNs.attr('mustUnderstand', '1'),
    wsse('UsernameToken', [
      wsse('Username', token.username),
      wsse('Password', { Type: WSSE_PASSWORD_DIGEST }, token.password),
      wsse('Nonce', { EncodingType: WSSE_BASE64_BINARY }, token.nonce),
      wsu('Created', token.created),
    ]),
  ]);
}

export interface ReceivedUsernameToken {
  username: string;
  password: string;
  passwordType: 'digest' | 'text';
  nonce: string | undefined;
  created: string | undefined;
}

/** The UsernameToken of a SOAP header, `undefined` when there is none, or `'malformed'`. */
export function readUsernameToken(header: XmlElement | undefined): ReceivedUsernameToken | 'malformed' | undefined {
  const token = header?.child(NS.wsse, 'Security')?.child(NS.wsse, 'UsernameToken');
  if (!token) return undefined;
  const username = token.childText(NS.wsse, 'Username');
  const passwordEl = token.child(NS.wsse, 'Password');
  if (!username || !passwordEl) return 'malformed';
  const type = passwordEl.attribute('Type') ?? WSSE_PASSWORD_TEXT;
  if (type !== WSSE_PASSWORD_DIGEST && type !== WSSE_PASSWORD_TEXT) return 'malformed';
  return {
    username,
    password: passwordEl.text.trim(),
    passwordType: type === WSSE_PASSWORD_DIGEST ? 'digest' : 'text',
    nonce: token.childText(NS.wsse, 'Nonce'),
    created: token.childText(NS.wsu, 'Created'),
  };
}
