import { Field, InputType, ObjectType } from 'type-graphql';

/*
 * Relay's mutation shape, as GitHub's API has it: every mutation takes one
 * input and answers one payload, and both carry an optional clientMutationId
 * so a client can match answers to the mutations it sent. It also gives
 * syncRegistry, which needs nothing, an input like every other mutation.
 * The two classes are never used as fields, so they stay out of the schema.
 */

@InputType()
export abstract class MutationInput {
  @Field(() => String, { nullable: true, description: 'Any string; the payload returns it unchanged.' })
  clientMutationId?: string | null;
}

/** The input of a mutation on one repository, named as docker pull names it: namespace/repository. Never a field, so not in the schema. */
@InputType()
export abstract class RepositoryMutationInput extends MutationInput {
  @Field(() => String, { description: "The repository's namespace." })
  namespace!: string;

  @Field(() => String, { description: "The repository's short name, without the namespace." })
  repository!: string;
}

@ObjectType({ simpleResolvers: true })
export abstract class MutationPayload {
  @Field(() => String, { nullable: true, description: 'The clientMutationId the input carried, unchanged.' })
  clientMutationId!: string | null;
}

/** A mutation's answer: what it changed, with the input's clientMutationId. */
export function payloadOf<Result extends object>(input: MutationInput, result: Result): Result & MutationPayload {
  return { ...result, clientMutationId: input.clientMutationId ?? null };
}
