import { Field, ObjectType } from 'type-graphql';
import { MutationPayload } from './mutation';
import { Namespace } from './namespace.type';

@ObjectType({ description: 'The namespace createNamespace made.', simpleResolvers: true })
export class CreateNamespacePayload extends MutationPayload {
  @Field(() => Namespace, { description: 'The new namespace.' })
  namespace!: Namespace;
}
