import { ObjectType } from 'type-graphql';

/** Fields are resolved from the request's viewer (see ViewerResolver). */
@ObjectType('Viewer', { description: 'The caller of this request.' })
export class ViewerType {}
