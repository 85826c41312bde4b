import { registerEnumType } from 'type-graphql';

export enum Publicity {
  PRIVATE = 'PRIVATE',
  PUBLIC = 'PUBLIC',
}
registerEnumType(Publicity, {
  name: 'Publicity',
  description: 'Who may see a repository: its namespace owner only, or everyone.',
  valuesConfig: {
    PRIVATE: { description: "Seen by the namespace's owner and by admins only." },
    PUBLIC: { description: 'Seen by everyone, signed in or not.' },
  },
});

export enum RepositoryScope {
  PUBLIC = 'public',
  MINE = 'mine',
  VISIBLE = 'visible',
}
registerEnumType(RepositoryScope, {
  name: 'RepositoryScope',
  description: 'Which repositories a list holds.',
  valuesConfig: {
    PUBLIC: { description: 'Public repositories.' },
    MINE: { description: "Repositories in namespaces the signed-in caller manages." },
    VISIBLE: { description: 'Every repository the caller may see.' },
  },
});

export enum RepositoryOrderField {
  NAME = 'name',
  CREATED_AT = 'createdAt',
  LAST_PUSHED_AT = 'lastPushedAt',
}
registerEnumType(RepositoryOrderField, {
  name: 'RepositoryOrderField',
  description: 'What a list of repositories is ordered by; ties are broken by id.',
  valuesConfig: {
    NAME: { description: 'The short name, without the namespace.' },
    CREATED_AT: { description: 'When the repository was first pushed or synced.' },
    LAST_PUSHED_AT: { description: 'When any tag of the repository last received a push.' },
  },
});

export enum TagOrderField {
  NAME = 'name',
  PUSHED_AT = 'pushedAt',
}
registerEnumType(TagOrderField, {
  name: 'TagOrderField',
  description: 'What the tags of a repository are ordered by; ties are broken by id.',
  valuesConfig: {
    NAME: { description: 'The tag name.' },
    PUSHED_AT: { description: 'When the tag last received a push.' },
  },
});

export enum OrderDirection {
  ASC = 'asc',
  DESC = 'desc',
}
registerEnumType(OrderDirection, {
  name: 'OrderDirection',
  description: 'Which way a list is ordered.',
  valuesConfig: {
    ASC: { description: 'Smallest first: A to Z, oldest first.' },
    DESC: { description: 'Largest first: Z to A, newest first.' },
  },
});

/** The values are the database's, so a token's stored permission is answered as it is. */
export enum AccessTokenPermission {
  READ = 'read',
  WRITE = 'write',
}
registerEnumType(AccessTokenPermission, {
  name: 'AccessTokenPermission',
  description: 'What a personal access token may do; a password sign-in may always write.',
  valuesConfig: {
    READ: { description: 'Pulls and reads only; every mutation answers FORBIDDEN.' },
    WRITE: { description: 'Also pushes, deletes and changes whatever its account may.' },
  },
});
