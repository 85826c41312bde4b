import type { AccessTokenPermission } from '../db/schema';

/** The caller a request acts for; `null` is an anonymous caller. */
export interface Viewer {
  accountId: number;
  name: string;
  role: 'admin' | 'user';
  /** A password signs in with `write`; an access token with the permission it was made with. */
  permission: AccessTokenPermission;
}
