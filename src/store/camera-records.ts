import type { Database } from 'better-sqlite3';
import { SecretKeyError } from '../errors/index.js';
import { type SecretBox } from './secret-box.js';

/** The states of an ONVIF camera Vigie knows. */
export type CameraRecordState = 'pending' | 'online' | 'offline' | 'unauthorized' | 'failed';

/** A camera Vigie onboarded or tried to (discovered or configured by ONVIF URL), as kept across restarts. */
export interface CameraRecord {
  cameraId: string;
  /** WS-Discovery EndpointReference, when known. */
  endpoint?: string;
  origin: 'discovery' | 'config';
  /** Device service URL. */
  xaddr: string;
  /** Network address it was last seen at. */
  address?: string;
  name: string;
  manufacturer?: string;
  model?: string;
  firmware?: string;
  serialNumber?: string;
  hardwareId?: string;
  vendor?: string;
  scopes: string[];
  state: CameraRecordState;
  stateReason?: string;
  stateSince: string;
  username?: string;
  /**
   * The password, in memory only. On write it is encrypted (when a key is set); on read it is present when the
   * stored value could be decrypted.
   */
  password?: string;
  authMode?: string;
  clockOffsetMs?: number;
  profileToken?: string;
  /** RTSP URL without credentials. */
  streamUri?: string;
  snapshotUri?: string;
  encoding?: string;
  width?: number;
  height?: number;
  fps?: number;
  firstSeen: string;
  lastSeen: string;
  onboardedAt?: string;
}

/** What became of a stored password on reading. */
export type StoredPassword = 'none' | 'readable' | 'no-key' | 'wrong-key';

export interface LoadedCameraRecord extends CameraRecord {
  passwordStatus: StoredPassword;
}

/** The cameras table, with camera passwords encrypted at rest. */
export interface CameraRecords {
  list(): LoadedCameraRecord[];
  get(cameraId: string): LoadedCameraRecord | undefined;
  /**
   * Inserts or replaces a camera. The password is encrypted with the store's key; without a key, or when
   * `password` is undefined, the stored value is left as it is (never written in clear, never dropped).
   */
  save(record: CameraRecord): void;
  setState(cameraId: string, state: CameraRecordState, reason: string | undefined, at?: Date): void;
  remove(cameraId: string): void;
  /** Whether passwords are stored (a key is set). */
  readonly encrypting: boolean;
}

interface Row {
  camera_id: string;
  endpoint: string | null;
  origin: string;
  xaddr: string;
  address: string | null;
  name: string;
  manufacturer: string | null;
  model: string | null;
  firmware: string | null;
  serial_number: string | null;
  hardware_id: string | null;
  vendor: string | null;
  scopes: string;
  state: string;
  state_reason: string | null;
  state_since: string;
  username: string | null;
  password_enc: string | null;
  auth_mode: string | null;
  clock_offset_ms: number | null;
  profile_token: string | null;
  stream_uri: string | null;
  snapshot_uri: string | null;
  encoding: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  first_seen: string;
  last_seen: string;
  onboarded_at: string | null;
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

export class SqliteCameraRecords implements CameraRecords {
  constructor(
    private readonly db: Database,
    private readonly secrets: SecretBox | undefined,
  ) {}

  get encrypting(): boolean {
    return this.secrets !== undefined;
  }

  list(): LoadedCameraRecord[] {
    return (this.db.prepare('SELECT * FROM onvif_cameras ORDER BY camera_id').all() as Row[]).map((r) => this.fromRow(r));
  }

  get(cameraId: string): LoadedCameraRecord | undefined {
    const row = this.db.prepare('SELECT * FROM onvif_cameras WHERE camera_id = ?').get(cameraId) as Row | undefined;
    return row ? this.fromRow(row) : undefined;
  }

  save(r: CameraRecord): void {
    const encrypted = r.password !== undefined && this.secrets ? this.secrets.encrypt(r.password, r.cameraId) : null;
    this.db
      .prepare(
        `INSERT INTO onvif_cameras (camera_id, endpoint, origin, xaddr, address, name, manufacturer, model, firmware, serial_number, hardware_id, vendor, scopes,
           state, state_reason, state_since, username, password_enc, auth_mode, clock_offset_ms, profile_token, stream_uri, snapshot_uri, encoding, width, height, fps,
           first_seen, last_seen, onboarded_at)
         VALUES (@camera_id, @endpoint, @origin, @xaddr, @address, @name, @manufacturer, @model, @firmware, @serial_number, @hardware_id, @vendor, @scopes,
           @state, @state_reason, @state_since, @username, @password_enc, @auth_mode, @clock_offset_ms, @profile_token, @stream_uri, @snapshot_uri, @encoding, @width, @height, @fps,
           @first_seen, @last_seen, @onboarded_at)
         ON CONFLICT (camera_id) DO UPDATE SET endpoint = excluded.endpoint, origin = excluded.origin, xaddr = excluded.xaddr, address = excluded.address,
           name = excluded.name, manufacturer = excluded.manufacturer, model = excluded.model, firmware = excluded.firmware, serial_number = excluded.serial_number,
           hardware_id = excluded.hardware_id, vendor = excluded.vendor, scopes = excluded.scopes, state = excluded.state, state_reason = excluded.state_reason,
           state_since = excluded.state_since, username = excluded.username, password_enc = COALESCE(excluded.password_enc, onvif_cameras.password_enc),
           auth_mode = excluded.auth_mode, clock_offset_ms = excluded.clock_offset_ms, profile_token = excluded.profile_token, stream_uri = excluded.stream_uri,
           snapshot_uri = excluded.snapshot_uri, encoding = excluded.encoding, width = excluded.width, height = excluded.height, fps = excluded.fps,
           first_seen = onvif_cameras.first_seen, last_seen = excluded.last_seen, onboarded_at = excluded.onboarded_at`,
      )
      .run({
        camera_id: r.cameraId,
        endpoint: r.endpoint ?? null,
        origin: r.origin,
        xaddr: r.xaddr,
        address: r.address ?? null,
        name: r.name,
        manufacturer: r.manufacturer ?? null,
        model: r.model ?? null,
        firmware: r.firmware ?? null,
        serial_number: r.serialNumber ?? null,
        hardware_id: r.hardwareId ?? null,
        vendor: r.vendor ?? null,
        scopes: JSON.stringify(r.scopes),
        state: r.state,
        state_reason: r.stateReason ?? null,
        state_since: r.stateSince,
        username: r.username ?? null,
        password_enc: encrypted,
        auth_mode: r.authMode ?? null,
        clock_offset_ms: r.clockOffsetMs === undefined ? null : Math.round(r.clockOffsetMs),
        profile_token: r.profileToken ?? null,
        stream_uri: r.streamUri ?? null,
        snapshot_uri: r.snapshotUri ?? null,
        encoding: r.encoding ?? null,
        width: r.width ?? null,
        height: r.height ?? null,
        fps: r.fps ?? null,
        first_seen: r.firstSeen,
        last_seen: r.lastSeen,
        onboarded_at: r.onboardedAt ?? null,
      });
  }

  setState(cameraId: string, state: CameraRecordState, reason: string | undefined, at: Date = new Date()): void {
    this.db.prepare('UPDATE onvif_cameras SET state = ?, state_reason = ?, state_since = ? WHERE camera_id = ? AND (state <> ? OR COALESCE(state_reason, \'\') <> ?)').run(
      state,
      reason ?? null,
      at.toISOString(),
      cameraId,
      state,
      reason ?? '',
    );
  }

  remove(cameraId: string): void {
    this.db.prepare('DELETE FROM onvif_cameras WHERE camera_id = ?').run(cameraId);
  }

  private fromRow(r: Row): LoadedCameraRecord {
    let password: string | undefined;
    let passwordStatus: StoredPassword = 'none';
    if (r.password_enc) {
      if (!this.secrets) passwordStatus = 'no-key';
      else {
        try {
          password = this.secrets.decrypt(r.password_enc, r.camera_id);
          passwordStatus = 'readable';
        } catch (error) {
          if (!(error instanceof SecretKeyError)) throw error;
          passwordStatus = 'wrong-key';
        }
      }
    }
    let scopes: string[] = [];
    try {
      const parsed: unknown = JSON.parse(r.scopes);
      if (Array.isArray(parsed)) scopes = parsed.filter((s): s is string => typeof s === 'string');
    } catch (_error) {
      scopes = []; // a damaged scopes column only loses the scopes, not the camera
    }
    return {
      cameraId: r.camera_id,
      endpoint: opt(r.endpoint),
      origin: r.origin === 'config' ? 'config' : 'discovery',
      xaddr: r.xaddr,
      address: opt(r.address),
      name: r.name,
      manufacturer: opt(r.manufacturer),
      model: opt(r.model),
      firmware: opt(r.firmware),
      serialNumber: opt(r.serial_number),
      hardwareId: opt(r.hardware_id),
      vendor: opt(r.vendor),
      scopes,
      state: (['pending', 'online', 'offline', 'unauthorized', 'failed'].includes(r.state) ? r.state : 'pending') as CameraRecordState,
      stateReason: opt(r.state_reason),
      stateSince: r.state_since,
      username: opt(r.username),
      password,
      passwordStatus,
      authMode: opt(r.auth_mode),
      clockOffsetMs: opt(r.clock_offset_ms),
      profileToken: opt(r.profile_token),
      streamUri: opt(r.stream_uri),
      snapshotUri: opt(r.snapshot_uri),
      encoding: opt(r.encoding),
      width: opt(r.width),
      height: opt(r.height),
      fps: opt(r.fps),
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      onboardedAt: opt(r.onboarded_at),
    };
  }
}
