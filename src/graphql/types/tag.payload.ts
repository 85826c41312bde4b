import { ObjectType } from 'type-graphql';
import { TagRemoval } from './tag-removal.type';

@ObjectType({ description: 'What deleteTag removed: the tag, others of its digest when asked, and the repository when it was the last.', simpleResolvers: true })
export class DeleteTagPayload extends TagRemoval {}
