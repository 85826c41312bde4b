import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { payloadOf } from '../types/mutation';
import { SyncRegistryInput } from '../types/sync.input';
import { SyncRegistryPayload } from '../types/sync.payload';

@Resolver()
export class SyncResolver {
  @Mutation(() => SyncRegistryPayload, {
    description:
      "Reconciles Berth with the registry (catalog, tags, manifests): adds what is missing, removes what the registry no longer has, keeps counters. Admin only; UPSTREAM_FAILURE when the registry fails or none is configured.",
  })
  async syncRegistry(
    @Arg('input', () => SyncRegistryInput, { description: 'Nothing but an optional clientMutationId: pass {}.' }) input: SyncRegistryInput,
    @Ctx() ctx: Context,
  ) {
    return payloadOf(input, await ctx.services.sync.runAs(ctx.viewer));
  }
}
