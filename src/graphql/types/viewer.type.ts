import { ObjectType } from 'type-graphql';

/** Fields are resolved from the request's viewer (see ViewerResolver). */
@ObjectType({ description: 'The caller of this request.' })
export class Viewer {}
