import { Field, InputType } from 'type-graphql';
import { NAMESPACE_NAME } from '../../services/namespaces';
import { MutationInput } from './mutation';

@InputType({ description: 'The namespace createNamespace makes for the caller.' })
export class CreateNamespaceInput extends MutationInput {
  @Field(() => String, { description: `The namespace's name; it matches ${NAMESPACE_NAME.source}.` })
  name!: string;
}
