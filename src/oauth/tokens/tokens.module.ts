import { Module } from '@nestjs/common';

/** Token and revocation endpoints, access tokens (JWT), refresh tokens, signing keys and JWKS. */
@Module({})
export class TokensModule {}
