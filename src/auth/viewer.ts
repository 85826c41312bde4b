import type { AccessTokenPermission } from '../db/schema';

/** The caller a request acts for; `null` is an anonymous caller. */
export interface Viewer {
  accountId: number;
  name: string;
  role: 'admin' | 'user';
  /** A password signs in with `write`; an access token with the permission it was made with. */
  permission: AccessTokenPermission;
  /** How the caller proved who it is: a token may not make other tokens. */
  signedInWith: 'password' | 'token';
}
