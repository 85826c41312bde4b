import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { pageArgs, REPOSITORY_PAGE_SIZE } from '../../services/pagination';
import { pageCost } from '../limits';
import type { Context } from '../context';
import { toConnection } from '../connection';
import { OrderDirection, RepositoryOrderField, RepositoryScope } from '../types/enums';
import { RepositoryOrder } from '../types/repository.input';
import { Repository, RepositoryConnection } from '../types/repository.type';

@Resolver()
export class QueryResolver {
  @Query(() => Repository, { description: 'One repository; NOT_FOUND when it does not exist or the caller may not see it.' })
  repository(
    @Arg('namespace', () => String, { description: "The repository's namespace." }) namespace: string,
    @Arg('name', () => String, { description: "The repository's short name, without the namespace." }) name: string,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.repositories.find(ctx.viewer, namespace, name);
  }

  @Query(() => RepositoryConnection, { description: 'Repositories the caller may see, newest first unless ordered otherwise.', complexity: pageCost(REPOSITORY_PAGE_SIZE) })
  async repositories(
    @Ctx() ctx: Context,
    @Arg('scope', () => RepositoryScope, { defaultValue: RepositoryScope.VISIBLE, description: 'Which repositories to list.' })
    scope: RepositoryScope,
    @Arg('keywords', () => String, { nullable: true, description: 'Matches namespace/name literally, ignoring case.' })
    keywords: string | null,
    @Arg('orderBy', () => RepositoryOrder, {
      defaultValue: { field: RepositoryOrderField.CREATED_AT, direction: OrderDirection.DESC },
      description: 'How to order the repositories.',
    })
    orderBy: RepositoryOrder,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, at most 500 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the page before; absent for the first page.' }) after: string | null,
  ) {
    const filter = { scope, keywords: keywords ?? undefined };
    const args = pageArgs(first, after, REPOSITORY_PAGE_SIZE);
    const page = await ctx.services.repositories.list(ctx.viewer, filter, orderBy, args);
    return toConnection(page, args, { filter });
  }
}
