import { InputType } from 'type-graphql';
import { MutationInput } from './mutation';

@InputType({ description: 'A sync takes nothing but the clientMutationId every input may carry: `syncRegistry(input: {})`.' })
export class SyncRegistryInput extends MutationInput {}
