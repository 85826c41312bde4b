import { Field, Int, ObjectType } from 'type-graphql';
import { AccessToken } from './access-token.type';
import { MutationPayload } from './mutation';

@ObjectType({ description: 'The access token createToken made, with its secret.', simpleResolvers: true })
export class CreateTokenPayload extends MutationPayload {
  @Field(() => AccessToken, { description: 'The new token.' })
  token!: AccessToken;

  @Field(() => String, { description: 'The secret: shown this once; Berth keeps only its hash.' })
  secret!: string;
}

@ObjectType({ description: 'How many tokens revokeAccountTokens deleted.', simpleResolvers: true })
export class RevokeAccountTokensPayload extends MutationPayload {
  @Field(() => Int, { description: 'The tokens revoked; they sign in no more.' })
  revoked!: number;
}

@ObjectType({ description: 'The access token revokeToken deleted.', simpleResolvers: true })
export class RevokeTokenPayload extends MutationPayload {
  @Field(() => AccessToken, { description: 'The token as it was; it signs in no more.' })
  token!: AccessToken;
}
