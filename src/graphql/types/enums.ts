import { registerEnumType } from 'type-graphql';

export enum Publicity {
  PRIVATE = 'PRIVATE',
  PUBLIC = 'PUBLIC',
}
registerEnumType(Publicity, { name: 'Publicity', description: 'Who may see a repository: its namespace owner only, or everyone.' });

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
registerEnumType(RepositoryOrderField, { name: 'RepositoryOrderField' });

export enum TagOrderField {
  NAME = 'name',
  PUSHED_AT = 'pushedAt',
}
registerEnumType(TagOrderField, { name: 'TagOrderField' });

export enum SortDirection {
  ASC = 'asc',
  DESC = 'desc',
}
registerEnumType(SortDirection, { name: 'SortDirection' });
