import { Module } from '@nestjs/common';

/** The authorization endpoint: browser sessions, sign-in, organization choice, consent, codes. */
@Module({})
export class AuthorizeModule {}
