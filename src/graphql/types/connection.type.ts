import { Field, ObjectType, type ClassType } from 'type-graphql';
import { PageInfo } from './page-info.type';

/** The Relay connection shape (edges, nodes, pageInfo) for one node type; totalCount is resolved per connection. */
export function Connection<TNode extends object>(Node: ClassType<TNode>) {
  @ObjectType(`${Node.name}Edge`, { description: `One ${Node.name.toLowerCase()} of a page, with its cursor.`, simpleResolvers: true })
  class Edge {
    @Field(() => String, { description: 'Pass as after to read the rows that follow this one.' })
    cursor!: string;

    @Field(() => Node, { description: `The ${Node.name.toLowerCase()}.` })
    node!: TNode;
  }

  // Never a field itself, so not in the schema: each connection type extends it.
  @ObjectType({ simpleResolvers: true })
  abstract class NodeConnection {
    @Field(() => [Edge], { description: 'The rows of the page, each with its cursor.' })
    edges!: Edge[];

    @Field(() => [Node], { description: 'The rows of the page, without cursors.' })
    nodes!: TNode[];

    @Field(() => PageInfo, { description: 'Whether more rows follow, and the cursors to read them.' })
    pageInfo!: PageInfo;
  }
  return NodeConnection;
}
