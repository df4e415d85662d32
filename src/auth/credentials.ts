/** Finds the password of a user, or undefined when the user does not exist. Digest needs the clear password (or HA1). */
export type CredentialLookup = (username: string) => string | undefined;

export interface UserCredential {
  username: string;
  password: string;
}

/** A fixed list of users (the simulator's single account, the device side's configured users). */
export function staticCredentials(users: readonly UserCredential[]): CredentialLookup {
  const map = new Map(users.map((u) => [u.username, u.password]));
  return (username) => map.get(username);
}
