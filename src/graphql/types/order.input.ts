import { Field, InputType } from 'type-graphql';
import { OrderDirection } from './enums';

/** The fields of every order input: one field of `Fields`, and a direction. Never a field itself, so not in the schema. */
export function OrderInput<TField extends string>(Fields: Record<string, TField>) {
  @InputType()
  abstract class Order {
    @Field(() => Fields, { description: 'What to order by.' })
    field!: TField;

    @Field(() => OrderDirection, { description: 'Which way.' })
    direction!: OrderDirection;
  }
  return Order;
}
