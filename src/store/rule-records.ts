/** A camera's rules as last changed while Vigie ran (ONVIF CreateRules / ModifyRules / DeleteRules, the API). */
export interface StoredRules {
  cameraId: string;
  /** The rule set, in the configuration's rule schema (parsed again when loaded). */
  rules: unknown[];
  /**
   * sha256 of the camera's rules in the configuration file when the change was made: at start, a configuration
   * whose rules differ from that (the file was edited since) wins over the stored set.
   */
  configSha256: string;
  /** Epoch milliseconds of the change. */
  changedAt: number;
  /** Who made it (`onvif:<user>`, `system`). */
  changedBy: string;
}

/** Rule sets changed at run time, so that they survive a restart. */
export interface RuleRecords {
  put(record: StoredRules): void;
  get(cameraId: string): StoredRules | undefined;
  list(): StoredRules[];
  delete(cameraId: string): void;
}
